// Every row of the Aastra parameter table (fixture copy tests/data/aastra-datamodel.tsv) is in
// the generated model with the same type and access, and the model has nothing the table lacks.
// Mapping of table conventions onto the listing: list<x> -> string, "string [Facet]" -> string,
// "R/W (Add/Delete)" objects -> R/W.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "commands.h"
#include "tr69/datamodel/listing.h"

namespace {

using Rows = std::map<std::string, std::pair<std::string, std::string>>;  // path -> type, access

std::string normaliseType(std::string type) {
  if (type.rfind("list<", 0) == 0) return "string";
  if (auto space = type.find(" ["); space != std::string::npos) type.resize(space);
  return type;
}

Rows readTable() {
  std::ifstream in(std::string(TR69_SOURCE_DIR) + "/tests/data/aastra-datamodel.tsv");
  EXPECT_TRUE(in.good());
  Rows rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("path\t", 0) == 0) continue;
    std::stringstream fields(line);
    std::string path, access, type;
    std::getline(fields, path, '\t');
    std::getline(fields, access, '\t');
    std::getline(fields, type, '\t');
    if (access.rfind("R/W", 0) == 0) access = "R/W";
    EXPECT_TRUE(rows.emplace(path, std::make_pair(normaliseType(type), access)).second) << path;
  }
  return rows;
}

Rows parseListing(const std::string& listing) {
  Rows rows;
  std::stringstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string path, type, access, extra;
    std::getline(fields, path, '\t');
    std::getline(fields, type, '\t');
    std::getline(fields, access, '\t');
    EXPECT_FALSE(std::getline(fields, extra, '\t')) << "more than three columns: " << line;
    EXPECT_TRUE(rows.emplace(path, std::make_pair(type, access)).second) << "twice: " << path;
  }
  return rows;
}

TEST(Completeness, TheTableHasAllItsRows) {
  EXPECT_EQ(readTable().size(), 555u);
}

TEST(Completeness, EveryTableRowIsInTheModelWithTheSameTypeAndAccess) {
  Rows table = readTable();
  Rows model = parseListing(tr69::datamodel::modelListing(tr69::datamodel::aastraModel()));
  for (const auto& [path, typeAccess] : table) {
    auto it = model.find(path);
    ASSERT_NE(it, model.end()) << "missing from the model: " << path;
    EXPECT_EQ(it->second.first, typeAccess.first) << "type of " << path;
    EXPECT_EQ(it->second.second, typeAccess.second) << "access of " << path;
  }
}

TEST(Completeness, TheModelHasNothingTheTableLacks) {
  Rows table = readTable();
  Rows model = parseListing(tr69::datamodel::modelListing(tr69::datamodel::aastraModel()));
  for (const auto& [path, typeAccess] : model) {
    EXPECT_EQ(table.count(path), 1u) << "not in the table: " << path;
  }
  EXPECT_EQ(model.size(), table.size());
}

TEST(Completeness, TheCtlListingIsTheModelListing) {
  std::ostringstream out, err;
  EXPECT_EQ(tr69::ctl::runCtl(std::vector<std::string_view>{"model"}, out, err), 0);
  EXPECT_EQ(out.str(), tr69::datamodel::modelListing(tr69::datamodel::aastraModel()));
  EXPECT_TRUE(err.str().empty());
}

TEST(Ctl, HelpUnknownCommandAndStrayArguments) {
  std::ostringstream out, err;
  EXPECT_EQ(tr69::ctl::runCtl(std::vector<std::string_view>{"--help"}, out, err), 0);
  EXPECT_NE(out.str().find("model"), std::string::npos);
  std::ostringstream out2, err2;
  EXPECT_EQ(tr69::ctl::runCtl(std::vector<std::string_view>{"frobnicate"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("unknown command 'frobnicate'"), std::string::npos);
  std::ostringstream out3, err3;
  EXPECT_EQ(tr69::ctl::runCtl(std::vector<std::string_view>{}, out3, err3), 2);
  EXPECT_NE(err3.str().find("usage"), std::string::npos);
  std::ostringstream out4, err4;
  EXPECT_EQ(tr69::ctl::runCtl(std::vector<std::string_view>{"model", "x"}, out4, err4), 2);
}

}  // namespace
