# Finds every external dependency from Debian 12 packages. No code is vendored; this file and the
# find glue beside it are the only third-party material in the tree.
#
#   gSOAP        gsoap, libgsoap-dev      (pkg-config gsoap++; soapcpp2)   GPL-2+ (see LICENSE)
#   libcurl      libcurl4-openssl-dev     (CMake FindCURL)
#   OpenSSL      libssl-dev               (CMake FindOpenSSL)
#   pugixml      libpugixml-dev           (CMake config)
#   libmicrohttpd libmicrohttpd-dev       (pkg-config libmicrohttpd)
#   GoogleTest   libgtest-dev libgmock-dev (CMake FindGTest)
#   benchmark    libbenchmark-dev         (CMake config; optional)

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(pugixml REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)

# gSOAP: the generated code must be compiled with the same flags as the runtime variant it links
# (struct soap changes layout with WITH_OPENSSL etc.), so always take them from pkg-config.
pkg_check_modules(GSOAP REQUIRED IMPORTED_TARGET gsoap++)
find_program(SOAPCPP2_EXECUTABLE soapcpp2 REQUIRED)
set(GSOAP_IMPORT_DIR /usr/share/gsoap/import CACHE PATH "gSOAP import directory (stlvector.h)")

pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)

if(TR69_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(TR69_BUILD_BENCH)
  find_package(benchmark QUIET)
endif()
