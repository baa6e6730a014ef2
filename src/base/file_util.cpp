#include "tr69/base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tr69/base/unique_fd.h"

namespace tr69 {
namespace {

Fault ioFault(const std::string& what, const std::filesystem::path& path) {
  return Fault(FaultCode::kInternalError, what + " " + path.string() + ": " + std::strerror(errno));
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status syncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return ioFault("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return ioFault("cannot fsync directory", dir);
  return {};
}

Status writeFileAtomic(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  const std::filesystem::path dir = path.parent_path();
  std::string tmpl = (dir.empty() ? std::filesystem::path(".") : dir).string() + "/." +
                     path.filename().string() + ".tmp.XXXXXX";
  UniqueFd fd(::mkostemp(tmpl.data(), O_CLOEXEC));
  if (!fd) return ioFault("cannot create temp file for", path);
  const std::filesystem::path tmp(tmpl);
  auto fail = [&](const std::string& what) {
    Fault f = ioFault(what, path);
    fd.reset();
    ::unlink(tmp.c_str());
    return f;
  };
  if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) return fail("cannot chmod temp file for");
  if (!writeAll(fd.get(), content)) return fail("cannot write");
  if (::fsync(fd.get()) != 0) return fail("cannot fsync");
  if (::close(fd.release()) != 0) return fail("cannot close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename temp file onto");
  return syncDirectory(dir.empty() ? std::filesystem::path(".") : dir);
}

Result<std::string> readFile(const std::filesystem::path& path, std::size_t maxBytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return Fault(FaultCode::kInvalidArguments, "not found: " + path.string());
    return ioFault("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ioFault("cannot stat", path);
  if (S_ISDIR(st.st_mode))
    return Fault(FaultCode::kInvalidArguments, "is a directory: " + path.string());
  std::string out;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioFault("cannot read", path);
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > maxBytes) {
      return Fault(FaultCode::kResourcesExceeded,
                   "file larger than " + std::to_string(maxBytes) + " bytes: " + path.string());
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace tr69
