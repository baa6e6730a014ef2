// Internal: the RAII gSOAP context of a Codec, reading from and writing to memory only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "soapH.h"
#include "tr69/cwmp/codec.h"

namespace tr69::cwmp {

class Codec::Impl {
 public:
  explicit Impl(const DecodeLimits& limits);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  struct soap* soap() {
    return soap_;
  }

  // Frees everything the previous message allocated and points the reader at `body`.
  void beginDecode(std::string_view body);
  // The cwmp namespace URI the input used, or "" when none was seen.
  std::string_view inputCwmpNamespace() const;

  // The first header element with mustUnderstand="1" that was not understood ("" if none).
  // gSOAP would fail the whole header on it; recording it instead keeps the cwmp:ID for the
  // MustUnderstand fault that answers the message.
  const std::string& notUnderstoodHeader() const { return notUnderstood_; }

  // Frees the previous message and prepares output in `version` with a fresh header.
  void beginEncode(CwmpVersion version, const std::optional<std::string>& id);
  std::string takeOutput();

  // Strings handed to gSOAP live in its managed heap until the next begin*.
  std::string* newString(std::string_view text);

 private:
  static std::size_t receive(struct soap* soap, char* buffer, std::size_t size);
  static int send(struct soap* soap, const char* data, std::size_t size);
  static int ignore(struct soap* soap, const char* tag);
  void release();

  struct soap* soap_;
  const DecodeLimits limits_;
  std::string_view input_;
  std::size_t inputPos_ = 0;
  std::string output_;
  std::string notUnderstood_;
};

}  // namespace tr69::cwmp
