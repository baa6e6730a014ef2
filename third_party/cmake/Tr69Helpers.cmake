# Helpers that give every target of the project the same warnings, sanitizer and include setup.

set(TR69_WARNINGS -Wall -Wextra -Werror)
# GCC 12 reports false -Wrestrict overlaps inside std::string at -O2/-O3 (GCC PR105329: inlined
# replace/insert/operator+), in code that has none; every other warning stays an error.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND TR69_WARNINGS -Wno-restrict)
endif()

# Link only the shared libraries a program really uses, for every compiler (Debian's g++ does so
# by default, clang does not): a test that links tr69::session without its engine must not pull
# libgsoap++, whose hooks live in the generated code of the cwmp module.
add_link_options(-Wl,--as-needed)

# Release builds (what ships on the phone): every function and data object in its own section
# so that the linker drops what nothing uses (--gc-sections), and the PIE's relative relocations
# packed into DT_RELR (-z pack-relative-relocs, ~110 KiB less for tr69d). DT_RELR needs
# glibc >= 2.36 on the target (older ones refuse to load the binary): -DTR69_PACK_RELOCS=OFF then.
# bench/footprint.sh measures the result.
option(TR69_PACK_RELOCS "Release: pack relative relocations (DT_RELR, glibc >= 2.36)" ON)
set(TR69_RELEASE_CONFIGS "$<CONFIG:Release,MinSizeRel>")
add_compile_options("$<${TR69_RELEASE_CONFIGS}:-ffunction-sections;-fdata-sections>")
add_link_options("$<${TR69_RELEASE_CONFIGS}:LINKER:--gc-sections>")
if(TR69_PACK_RELOCS)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "LINKER:-z,pack-relative-relocs" TR69_LINKER_PACKS_RELOCS)
  if(TR69_LINKER_PACKS_RELOCS)
    add_link_options("$<${TR69_RELEASE_CONFIGS}:LINKER:-z,pack-relative-relocs>")
  endif()
endif()

# Release builds optimise per module. The modules a request's hot path runs through (the codec,
# the parameter tree, the data-model tables and the phone's value reads: TR69_SPEED_MODULES) are
# built for speed (TR69_SPEED_OPT); everything else runs once per session or less (config file
# parsing, session state, transport, transfers, connection requests, the daemon's options and
# control socket, tr69ctl) and is built for size (-Os, less than half the code of -O3).
# gpv_handled_bench and session_bench measure the hot path, bench/footprint.sh the size.
# -DTR69_RELEASE_PER_MODULE_OPT=OFF gives every module CMake's Release -O3.
option(TR69_RELEASE_PER_MODULE_OPT "Release: -Os for the cold modules" ON)
set(TR69_SPEED_OPT "-O2" CACHE STRING "Release: optimisation of the hot modules")
set(TR69_SPEED_MODULES base datamodel model phone cwmp)
if(TR69_RELEASE_PER_MODULE_OPT)
  set(TR69_SIZE_FLAGS "$<$<CONFIG:Release>:-Os>")
  set(TR69_SPEED_FLAGS "$<$<CONFIG:Release>:${TR69_SPEED_OPT}>")
endif()
# tr69_optimize_for_size(<target>...) / tr69_optimize_for_speed(<target>...): Release flags.
function(tr69_optimize_for_size)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE ${TR69_SIZE_FLAGS})
  endforeach()
endfunction()
function(tr69_optimize_for_speed)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE ${TR69_SPEED_FLAGS})
  endforeach()
endfunction()
# tr69_optimize_sources_for_speed(<source>...): hot files inside a cold module (a source's own
# options come after its target's on the command line).
function(tr69_optimize_sources_for_speed)
  if(TR69_SPEED_FLAGS)
    set_property(SOURCE ${ARGN} APPEND PROPERTY COMPILE_OPTIONS ${TR69_SPEED_FLAGS})
  endif()
endfunction()

# Release: link-time optimisation (g++ 12: about 300 KiB less code in tr69d, on top of the
# above; clang uses its LLVMgold plugin). It makes every program's link an optimisation pass, and
# the test programs are many: so it is on by default only when the tests are not built (what
# bench/footprint.sh and a firmware build do), and CI's build (scripts/test.sh) stays as fast.
if(TR69_BUILD_TESTS)
  set(TR69_LTO_DEFAULT OFF)
else()
  set(TR69_LTO_DEFAULT ON)
endif()
option(TR69_LTO "Release: link-time optimisation" ${TR69_LTO_DEFAULT})
if(TR69_LTO AND NOT TR69_SANITIZE AND NOT TR69_FUZZ)
  include(CheckIPOSupported)
  check_ipo_supported(RESULT TR69_LTO_SUPPORTED OUTPUT TR69_LTO_ERROR LANGUAGES CXX)
  if(TR69_LTO_SUPPORTED)
    set(CMAKE_INTERPROCEDURAL_OPTIMIZATION_RELEASE ON)
  else()
    message(STATUS "TR69_LTO: link-time optimisation not supported here: ${TR69_LTO_ERROR}")
  endif()
endif()

if(TR69_SANITIZE)
  set(TR69_SANITIZE_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                          -fno-sanitize-recover=undefined)
  add_compile_options(${TR69_SANITIZE_FLAGS})
  add_link_options(${TR69_SANITIZE_FLAGS})
endif()

# With TR69_FUZZ every target gets coverage instrumentation (without libFuzzer's main), so the
# fuzz targets see inside the libraries they exercise, not only their own harness.
if(TR69_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# tr69_add_module(<name> SOURCES ... [DEPS ...]): the static library tr69::<name>.
function(tr69_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tr69_${name} STATIC ${ARG_SOURCES})
  add_library(tr69::${name} ALIAS tr69_${name})
  target_include_directories(tr69_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_compile_options(tr69_${name} PRIVATE ${TR69_WARNINGS})
  target_link_libraries(tr69_${name} PUBLIC ${ARG_DEPS})
  if(name IN_LIST TR69_SPEED_MODULES)
    tr69_optimize_for_speed(tr69_${name})
  else()
    tr69_optimize_for_size(tr69_${name})
  endif()
endfunction()

# tr69_add_test(<name> SOURCES ... [DEPS ...] [LABELS ...]): a GoogleTest program whose tests are
# registered one by one with CTest. LABELS default to "unit"; end-to-end suites use "e2e".
function(tr69_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${TR69_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    TR69_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TR69_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()

# tr69_add_fuzz(<name> SOURCES ... [DEPS ...]): a libFuzzer target <name>_fuzz, built only with
# -DTR69_FUZZ=ON and clang. Its seed corpus lives in tests/fuzz/corpus/<name>/; scripts/fuzz.sh
# runs every target for a bounded time, and a ctest entry replays the corpus once (regression).
function(tr69_add_fuzz name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT TR69_FUZZ OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    return()
  endif()
  add_executable(${name}_fuzz ${ARG_SOURCES})
  target_compile_options(${name}_fuzz PRIVATE ${TR69_WARNINGS} -fsanitize=fuzzer)
  target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
  target_include_directories(${name}_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${name}_fuzz PRIVATE ${ARG_DEPS})
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  if(EXISTS ${corpus})
    add_test(NAME fuzz_corpus_${name} COMMAND ${name}_fuzz -runs=0 ${corpus})
    set_tests_properties(fuzz_corpus_${name} PROPERTIES LABELS "unit;fuzz" TIMEOUT 300)
  endif()
endfunction()
