// The generator rejects malformed or inconsistent models with "file:line: message" and a non-zero
// exit, and writes nothing then. Each tests/datamodel/bad/*.xml states the expected diagnostic
// in its "<!-- expect: :LINE: message -->" comment.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exitCode = -1;
  std::string output;
};

RunResult runGenerator(const fs::path& model, const fs::path& outDir) {
  std::string command = std::string(TR69_DMGEN) + " '" + model.string() + "' '" +
                        (outDir / "tables.cpp").string() + "' '" + (outDir / "dm.h").string() +
                        "' 2>&1";
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    result.output.append(buf.data(), n);
  int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string expectation(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto pos = line.find("<!-- expect: ");
    if (pos != std::string::npos) {
      auto end = line.find(" -->");
      return line.substr(pos + 13, end - pos - 13);
    }
  }
  return {};
}

fs::path tempDir(const std::string& name) {
  fs::path dir = fs::path(TR69_BINARY_DIR) / "tests-tmp" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

class BadModel : public testing::TestWithParam<std::string> {};

TEST_P(BadModel, FailsWithFileLineMessage) {
  fs::path file = fs::path(TR69_SOURCE_DIR) / "tests/datamodel/bad" / GetParam();
  std::string expected = expectation(file);
  ASSERT_FALSE(expected.empty()) << "fixture lacks an expect comment";
  fs::path out = tempDir("dmgen-bad-" + GetParam());
  RunResult result = runGenerator(file, out);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find(file.string() + expected), std::string::npos)
      << "expected: " << file.string() << expected << "\ngot: " << result.output;
  EXPECT_FALSE(fs::exists(out / "tables.cpp"));
  EXPECT_FALSE(fs::exists(out / "dm.h"));
}

std::vector<std::string> badFixtures() {
  std::vector<std::string> names;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TR69_SOURCE_DIR) / "tests/datamodel/bad")) {
    if (entry.path().extension() == ".xml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadModel, testing::ValuesIn(badFixtures()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           return name;
                         });

TEST(Generator, HasBadFixtures) {
  EXPECT_GE(badFixtures().size(), 20u);
}

TEST(Generator, AcceptsAMinimalModel) {
  fs::path out = tempDir("dmgen-good");
  RunResult result =
      runGenerator(fs::path(TR69_SOURCE_DIR) / "tests/datamodel/good/minimal.xml", out);
  EXPECT_EQ(result.exitCode, 0) << result.output;
  std::ifstream header(out / "dm.h");
  std::stringstream text;
  text << header.rdbuf();
  EXPECT_NE(text.str().find("ParamHandle<::std::uint32_t, 0> UpTime{0}"), std::string::npos);
  EXPECT_NE(text.str().find("ParamHandle<::std::string, 1> Name{2}"), std::string::npos);
}

TEST(Generator, AcceptsTheAastraModel) {
  fs::path out = tempDir("dmgen-aastra");
  RunResult result = runGenerator(fs::path(TR69_SOURCE_DIR) / "datamodel/aastra-tr069.xml", out);
  EXPECT_EQ(result.exitCode, 0) << result.output;
  EXPECT_TRUE(fs::exists(out / "tables.cpp"));
}

TEST(Generator, MissingFileIsAnError) {
  fs::path out = tempDir("dmgen-missing");
  RunResult result = runGenerator(out / "nope.xml", out);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("nope.xml:1: cannot open the model file"), std::string::npos);
}

}  // namespace
