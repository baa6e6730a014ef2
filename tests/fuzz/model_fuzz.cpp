// libFuzzer target for the model's parsers: value lexical rules of every parameter, dateTime,
// base64, path resolution / GetParameterNames / GetParameterValues / SetParameterValues on
// arbitrary names, and the attribute and baseline snapshot loaders.
// Input: first byte selects the target, the next two select a parameter, the rest is the text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/base64.h"
#include "tr69/base/datetime.h"
#include "tr69/datamodel/value.h"
#include "tr69/model/memory_storage.h"
#include "tr69/model/tree.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const auto& model = tr69::datamodel::aastraModel();
  static tr69::model::MemoryStorage storage(model, 9);
  static tr69::model::Tree tree(model, storage, 9);
  const std::uint8_t selector = data[0] % 8;
  const std::size_t paramIndex = (data[1] << 8 | data[2]) % model.params.size();
  std::string text(reinterpret_cast<const char*>(data + 3), size - 3);
  switch (selector) {
    case 0: {
      auto r = tr69::datamodel::canonicalValue(model.params[paramIndex], text);
      // A canonical value is itself valid and stable.
      if (r.ok()) {
        auto again = tr69::datamodel::canonicalValue(model.params[paramIndex], *r);
        if (!again.ok() || *again != *r) __builtin_trap();
      }
      break;
    }
    case 1: {
      auto v = tr69::parseDateTime(text);
      if (v && tr69::formatDateTime(*v) != text && text.find("-00:00") == std::string::npos) {
        __builtin_trap();
      }
      break;
    }
    case 2: {
      auto decoded = tr69::base64Decode(text);
      if (decoded && tr69::base64Encode(*decoded) != text) __builtin_trap();
      break;
    }
    case 3: {
      auto r = tree.parameterNames(text, (data[1] & 1) != 0);
      (void)r;
      break;
    }
    case 4: {
      std::vector<std::string> names{text};
      auto r = tree.getValues(names);
      (void)r;
      break;
    }
    case 5: {
      // Set a value on the selected parameter's first instance name, or on the raw text as name.
      std::vector<tr69::model::SetRequest> requests{
          {text, "1", std::nullopt},
          {std::string(model.params[paramIndex].path), text, std::nullopt}};
      auto outcome = tree.setValues(requests, tr69::model::ChangeCause::kAcs);
      (void)outcome;
      break;
    }
    case 6: {
      auto r = tree.loadAttributes(text);
      (void)r;
      break;
    }
    case 7: {
      auto r = tr69::model::NotificationBaseline::load(text);
      (void)r;
      auto add = tree.addObject(text, tr69::model::ChangeCause::kAcs);
      if (add.ok()) {
        auto del =
            tree.deleteObject(text + std::to_string(*add) + ".", tr69::model::ChangeCause::kAcs);
        (void)del;
      }
      break;
    }
  }
  return 0;
}
