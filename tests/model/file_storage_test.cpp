// FileStorage: values and instances survive a restart; a failed save changes nothing.
#include "tr69/model/file_storage.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tr69/datamodel/dm.h"
#include "tr69/model/tree.h"

namespace tr69::model {
namespace {

namespace fs = std::filesystem;

fs::path freshDir(const std::string& name) {
  fs::path dir = fs::path(TR69_BINARY_DIR) / "tests-tmp" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(FileStorage, ValuesAndInstancesSurviveARestart) {
  fs::path file = freshDir("file-storage") / "store.xml";
  const auto& model = datamodel::aastraModel();
  {
    FileStorage storage(model, 9, file);
    ASSERT_TRUE(storage.open().ok());
    Tree tree(model, storage, 9);
    std::vector<SetRequest> req{{"Device.DeviceInfo.ProvisioningCode", "ACME<&>", std::nullopt}};
    ASSERT_TRUE(tree.setValues(req, ChangeCause::kAcs).ok());
    ASSERT_EQ(*tree.addObject("Device.LAN.DHCPOption.", ChangeCause::kAcs), 1u);
    ASSERT_TRUE(
        tree.deleteObject("Device.Services.VoiceService.1.VoiceProfile.5.", ChangeCause::kAcs)
            .ok());
    std::vector<SetRequest> tag{{"Device.LAN.DHCPOption.1.Tag", "60", std::nullopt}};
    ASSERT_TRUE(tree.setValues(tag, ChangeCause::kAcs).ok());
  }
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  FileStorage storage(model, 9, file);
  ASSERT_TRUE(storage.open().ok());
  Tree tree(model, storage, 9);
  EXPECT_EQ(*tree.get(dm::DeviceInfo::ProvisioningCode), "ACME<&>");
  EXPECT_EQ(*tree.get(dm::LAN::DHCPOption::Tag, {1}), 60u);
  EXPECT_EQ(tree.instances(dm::Services::VoiceService::VoiceProfile::kObject, {1}),
            (std::vector<InstanceNumber>{1, 2, 3, 4, 6, 7, 8, 9}));
}

TEST(FileStorage, FailedSaveUndoesTheChange) {
  fs::path dir = freshDir("file-storage-fail");
  fs::path file = dir / "missing-dir" / "store.xml";  // the directory does not exist
  const auto& model = datamodel::aastraModel();
  FileStorage storage(model, 9, file);
  ASSERT_TRUE(storage.open().ok());
  Tree tree(model, storage, 9);
  std::vector<SetRequest> req{{"Device.DeviceInfo.ProvisioningCode", "X", std::nullopt}};
  EXPECT_FALSE(tree.setValues(req, ChangeCause::kAcs).ok());
  EXPECT_EQ(*tree.get(dm::DeviceInfo::ProvisioningCode), "");
  EXPECT_FALSE(tree.addObject("Device.LAN.DHCPOption.", ChangeCause::kAcs).ok());
  EXPECT_TRUE(tree.instances(dm::LAN::DHCPOption::kObject).empty());
}

TEST(FileStorage, MalformedOrStaleFilesAreHandled) {
  fs::path file = freshDir("file-storage-bad") / "store.xml";
  const auto& model = datamodel::aastraModel();
  std::ofstream(file) << "<store><value";
  FileStorage broken(model, 9, file);
  EXPECT_EQ(broken.open().fault().code, FaultCode::kInvalidArguments);
  std::ofstream(file, std::ios::trunc)
      << "<store><value param=\"Device.Gone\" instances=\"\">x</value>"
         "<value param=\"Device.DeviceInfo.ProvisioningCode\" instances=\"1\">bad depth</value>"
         "<value param=\"Device.DeviceInfo.ProvisioningCode\" instances=\"\">kept</value>"
         "<instances table=\"Device.LAN.DHCPOption.{i}.\" parent=\"\">3,x,2,7</instances></store>";
  FileStorage stale(model, 9, file);
  ASSERT_TRUE(stale.open().ok());
  Tree tree(model, stale, 9);
  EXPECT_EQ(*tree.get(dm::DeviceInfo::ProvisioningCode), "kept");
  EXPECT_EQ(tree.instances(dm::LAN::DHCPOption::kObject), (std::vector<InstanceNumber>{3, 7}));
}

}  // namespace
}  // namespace tr69::model
