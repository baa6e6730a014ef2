// Must NOT compile: a misspelt parameter handle is a compile error.
#include "tr69/datamodel/dm.h"

int main() {
  return static_cast<int>(tr69::dm::ManagementServer::PeriodicInformIntervall.index);
}
