# Cross build for 64-bit ARM (Raspberry Pi OS 64-bit, Debian arm64) with Debian's cross toolchain
# and multiarch libraries: scripts/install-deps.sh cross arm64 installs both, and qemu.
set(BLYNKD_TRIPLET aarch64-linux-gnu)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(BLYNKD_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
