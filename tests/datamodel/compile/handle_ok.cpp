// Compiles: the positive control of handle_misspelt.cpp.
#include "tr69/datamodel/dm.h"

int main() {
  return static_cast<int>(tr69::dm::ManagementServer::PeriodicInformInterval.index) & 0;
}
