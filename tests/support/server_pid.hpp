#pragma once
// The process id of a running ServerProcess, for tests that look at it through /proc or change
// its limits (prlimit). Found by its data folder, which only it has on its command line.

#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/server_process.hpp"

namespace blynk::test {

inline pid_t server_pid(const ServerProcess& server) {
    for (const auto& p : std::filesystem::directory_iterator("/proc")) {
        std::ifstream cmdline(p.path() / "cmdline");
        std::string args((std::istreambuf_iterator<char>(cmdline)), {});
        if (args.find(server.data_dir().string()) != std::string::npos &&
            args.find("--set") != std::string::npos) {
            return std::stoi(p.path().filename().string());
        }
    }
    return -1;
}

}  // namespace blynk::test
