// The instance numbers that make a model path concrete: for
// "Device.Services.VoiceService.{i}.VoiceProfile.{i}.SIP.ProxyServer", {1, 2} names
// "Device.Services.VoiceService.1.VoiceProfile.2.SIP.ProxyServer".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>

#include "tr69/datamodel/descriptor.h"
#include "tr69/datamodel/handle.h"

namespace tr69::model {

using datamodel::InstanceNumber;

class InstancePath {
 public:
  InstancePath() = default;
  InstancePath(std::initializer_list<InstanceNumber> numbers) {
    for (auto n : numbers)
      push(n);
  }
  explicit InstancePath(std::span<const InstanceNumber> numbers) {
    for (auto n : numbers)
      push(n);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  InstanceNumber operator[](std::size_t i) const { return numbers_[i]; }
  InstanceNumber back() const { return numbers_[size_ - 1]; }
  // The caller keeps size() below datamodel::kMaxDepth (the generator guarantees the depth).
  void push(InstanceNumber n) { numbers_[size_++] = n; }
  void pop() { --size_; }
  InstancePath prefix(std::size_t n) const {
    InstancePath p;
    for (std::size_t i = 0; i < n && i < size_; ++i)
      p.push(numbers_[i]);
    return p;
  }
  std::span<const InstanceNumber> numbers() const { return {numbers_.data(), size_}; }

  bool operator==(const InstancePath& other) const {
    if (size_ != other.size_) return false;
    for (std::size_t i = 0; i < size_; ++i) {
      if (numbers_[i] != other.numbers_[i]) return false;
    }
    return true;
  }
  bool operator<(const InstancePath& other) const {
    for (std::size_t i = 0; i < size_ && i < other.size_; ++i) {
      if (numbers_[i] != other.numbers_[i]) return numbers_[i] < other.numbers_[i];
    }
    return size_ < other.size_;
  }
  std::size_t hash() const {
    std::size_t h = size_;
    for (std::size_t i = 0; i < size_; ++i)
      h = h * 1000003u ^ numbers_[i];
    return h;
  }

 private:
  std::array<InstanceNumber, datamodel::kMaxDepth> numbers_{};
  std::uint8_t size_ = 0;
};

}  // namespace tr69::model
