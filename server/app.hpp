#pragma once
// The server process: wires storage, hub, dispatcher and listeners together, runs the worker
// threads and handles signals (TERM/INT: graceful stop with a final flush).

#include <filesystem>

#include "config/settings.hpp"

namespace blynk {

class App {
public:
    App(config::Settings settings, std::filesystem::path data_dir);
    /// Runs until SIGTERM/SIGINT; returns the process exit code. Throws on start-up errors
    /// (port in use, unreadable database).
    int run();

private:
    config::Settings settings_;
    std::filesystem::path data_dir_;
};

}  // namespace blynk
