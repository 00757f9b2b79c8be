# What arm64.cmake and armhf.cmake share: Debian's BLYNKD_TRIPLET-g++ compiles, the libraries come
# from the multiarch folders of the packages installed for that architecture (/usr/lib/TRIPLET,
# headers in /usr/include), and programs built for the target run through BLYNKD_QEMU.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${BLYNKD_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${BLYNKD_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${BLYNKD_TRIPLET})

# No sysroot: CMake looks in /usr/lib/TRIPLET (CMAKE_LIBRARY_ARCHITECTURE) before /usr/lib, and the
# host's own multiarch folder is never searched.
# pkg-config (FindOpenSSL asks it for hints) must describe the target's libraries, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${BLYNKD_TRIPLET}/pkgconfig:/usr/share/pkgconfig)

# ctest and gtest_discover_tests run the test binaries through qemu-user. Without -L: the
# multiarch libc of the :ARCH packages is the one to load (with the toolchain's own libc under
# /usr/TRIPLET, any program that starts a thread hangs).
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/${BLYNKD_QEMU})
