# Cross-compilation for the phone's CPU: 32-bit ARM, hard float (Debian's armhf), with Debian's
# cross toolchain (crossbuild-essential-armhf) and the armhf -dev packages installed through
# multiarch. Test programs run under qemu-user. scripts/cross-armhf.sh sets all of this up.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(TR69_TRIPLET arm-linux-gnueabihf)

set(CMAKE_C_COMPILER ${TR69_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${TR69_TRIPLET}-g++)

set(CMAKE_FIND_ROOT_PATH /usr/${TR69_TRIPLET} /usr/lib/${TR69_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # soapcpp2 and other tools run on the build host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_LIBRARY_ARCHITECTURE ${TR69_TRIPLET})

# pkg-config must see only the armhf .pc files (gsoap++, libmicrohttpd).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${TR69_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# ctest and gtest_discover_tests run the ARM test programs through qemu-user.
find_program(TR69_QEMU_ARM qemu-arm)
if(TR69_QEMU_ARM)
  # The loader must come from the same glibc build as the armhf libraries the programs link
  # with: the cross toolchain's copy in /usr/${TR69_TRIPLET} is another Debian revision, and
  # mixing the two crashes every program that starts a thread (SIGSEGV in pthread_create).
  # libc6:armhf (pulled in by the armhf -dev packages) installs its loader below /, so use that.
  if(EXISTS /lib/ld-linux-armhf.so.3)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${TR69_QEMU_ARM} -L /)
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${TR69_QEMU_ARM} -L /usr/${TR69_TRIPLET})
  endif()
endif()
