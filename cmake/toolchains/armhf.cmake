# Cross build for 32-bit ARM with hardware floating point (Raspberry Pi OS 32-bit, Debian armhf)
# with Debian's cross toolchain and multiarch libraries: scripts/install-deps.sh cross armhf
# installs both, and qemu.
set(BLYNKD_TRIPLET arm-linux-gnueabihf)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(BLYNKD_QEMU qemu-arm-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
