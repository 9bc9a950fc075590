# Cross build for aarch64 Linux with Debian 12's cross compiler (g++-aarch64-linux-gnu).
#
# The libraries come from Debian multiarch: `dpkg --add-architecture arm64`, then the :arm64
# -dev packages (libhwy-dev:arm64, libxxhash-dev:arm64, ...), which land in
# /usr/lib/aarch64-linux-gnu and /usr/include/aarch64-linux-gnu where the cross compiler
# already looks. scripts/cross_aarch64_test.sh installs them, builds with this file and runs
# the result under qemu-aarch64:
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
#         -DCMAKE_BUILD_TYPE=Release -DNZIP_TESTS=OFF
#   cmake --build build-aarch64 --target nzip
#   qemu-aarch64 build-aarch64/nzip --help
#
# Run it without `-L /usr/aarch64-linux-gnu`: the multiarch libc6:arm64 provides the loader,
# and the cross toolchain's own libc mixed with the multiarch libraries hangs in
# pthread_create under Debian 12's qemu 7.2.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(NZIP_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${NZIP_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${NZIP_CROSS_TRIPLE}-g++)
# find_library and find_package look in lib/aarch64-linux-gnu, never in the host's
# lib/x86_64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE ${NZIP_CROSS_TRIPLE})

# Multiarch libraries live under / beside the host's, and the cross toolchain's own libc under
# /usr/aarch64-linux-gnu; programs (pkg-config, the host's tools) come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${NZIP_CROSS_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must read the arm64 .pc files only (plus the arch-independent ones); the host's
# would hand out x86-64 library paths.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${NZIP_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# try_run and the like cannot execute aarch64 code directly; qemu can.
find_program(NZIP_QEMU_AARCH64 qemu-aarch64)
if(NZIP_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NZIP_QEMU_AARCH64})
endif()
