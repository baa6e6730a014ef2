// Durable file I/O: whole-file atomic replace (temp, fsync, rename, fsync dir) and bounded reads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"

namespace tr69 {

// Replaces `path` with `content` so that a crash at any moment leaves either the old or the new
// file, never a mix: write to a temp file in the same directory, fsync, rename over, fsync the
// directory. `mode` applies to the new file (0600 for files that hold secrets).
Status writeFileAtomic(const std::filesystem::path& path, std::string_view content,
                       unsigned mode = 0644);

// Reads a whole file, refusing files larger than `maxBytes` (kResourcesExceeded).
// A missing file is kInvalidArguments with the message "not found: <path>".
Result<std::string> readFile(const std::filesystem::path& path,
                             std::size_t maxBytes = 16 * 1024 * 1024);

// fsync of a directory, so that a rename or unlink inside it is durable.
Status syncDirectory(const std::filesystem::path& dir);

}  // namespace tr69
