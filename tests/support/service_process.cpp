#include "tests/support/service_process.hpp"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/free_port.hpp"

namespace blynk::test {
namespace {

constexpr const char* kUser = "nobody";
constexpr const char* kGroup = "nogroup";

struct ProcessState {
    pid_t parent = 0;
    char state = 0;  ///< 'Z' once it has exited (a zombie)
};

/// Every process's parent and state, from /proc/<pid>/stat.
std::map<pid_t, ProcessState> processes() {
    std::map<pid_t, ProcessState> all;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(stat.substr(close + 1));
        ProcessState process;
        fields >> process.state >> process.parent;
        all[std::stoi(name)] = process;
    }
    return all;
}

/// Where service folders go: /dev/shm (memory) when it has room, else the temp folder. initdb
/// takes half the time there (0.5 s instead of 0.9 s here); a container's 64 MiB /dev/shm is
/// too small for a few PostgreSQL servers, hence the room asked for.
std::filesystem::path service_folder_root() {
    const std::filesystem::path memory = "/dev/shm";
    constexpr std::uintmax_t kRoom = std::uintmax_t{1} << 30;
    std::error_code ec;
    if (std::filesystem::space(memory, ec).available >= kRoom && !ec &&
        ::access(memory.c_str(), W_OK) == 0)
        return memory;
    return std::filesystem::temp_directory_path();
}

}  // namespace

std::vector<std::string> service_command(const std::vector<std::string>& command,
                                         const std::string& death_signal) {
    std::vector<std::string> words = {"/usr/bin/setpriv", "--pdeathsig", death_signal};
    if (::geteuid() == 0)
        words.insert(words.end(), {std::string("--reuid=") + kUser,
                                   std::string("--regid=") + kGroup, "--clear-groups"});
    words.push_back("--");
    words.insert(words.end(), command.begin(), command.end());
    return words;
}

ServiceFolder::ServiceFolder(const std::string& prefix) {
    std::string pattern = (service_folder_root() / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + " failed");
    path_ = pattern;  // mode 0700
    if (::geteuid() != 0) return;
    const passwd* user = ::getpwnam(kUser);
    const group* grp = ::getgrnam(kGroup);
    if (!user || !grp) throw std::runtime_error(std::string("no user ") + kUser + ":" + kGroup);
    if (::chown(path_.c_str(), user->pw_uid, grp->gr_gid) != 0)
        throw std::runtime_error("chown " + path_.string() + " failed");
}

ServiceFolder::~ServiceFolder() {
    std::error_code ec;
    if (!::testing::UnitTest::GetInstance()->Failed()) std::filesystem::remove_all(path_, ec);
}

void start_on_free_port(uint16_t& port, const std::function<void()>& start) {
    for (int attempt = 1;; ++attempt) {
        port = free_port();
        try {
            start();
            return;
        } catch (const std::runtime_error& e) {
            if (attempt == 3 ||
                std::string(e.what()).find("Address already in use") == std::string::npos)
                throw;
        }
    }
}

std::unique_ptr<ChildProcess> start_service(const std::string& name,
                                            const std::vector<std::string>& command,
                                            const std::filesystem::path& log,
                                            const std::function<bool()>& ready,
                                            std::chrono::seconds timeout) {
    auto service = std::make_unique<ChildProcess>(command, log, ChildProcess::ReadyLine::none);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        if (service->wait(std::chrono::milliseconds(0)))
            throw std::runtime_error(name + " exited during start-up (exit code " +
                                     std::to_string(service->exit_code()) + "):\n" +
                                     file_text(log));
        if (std::chrono::steady_clock::now() > deadline) {
            kill_service(service);
            throw std::runtime_error(name + " was not ready within " +
                                     std::to_string(timeout.count()) + " s:\n" + file_text(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return service;
}

void stop_service(std::unique_ptr<ChildProcess>& service, int signal,
                  std::chrono::seconds timeout) {
    if (!service) return;
    service->signal(signal);
    if (!service->wait(timeout)) {
        ADD_FAILURE() << "service " << service->pid() << " still ran " << timeout.count()
                      << " s after signal " << signal << "; killed";
        kill_service(service);
    }
    service.reset();
}

void kill_service(std::unique_ptr<ChildProcess>& service) {
    if (!service) return;
    const pid_t root = service->pid();
    ::kill(root, SIGSTOP);
    std::set<pid_t> tree = {root};
    const auto all = processes();
    // Parents may have higher pids than their children (pids wrap), so grow the set until stable.
    for (size_t before = 0; before != tree.size();) {
        before = tree.size();
        for (const auto& [pid, process] : all)
            if (tree.count(process.parent)) tree.insert(pid);
    }
    for (pid_t pid : tree)
        ::kill(pid, SIGKILL);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    const auto running = [&tree] {
        const auto now = processes();
        for (pid_t pid : tree) {
            const auto it = now.find(pid);
            if (it != now.end() && it->second.state != 'Z') return true;
        }
        return false;
    };
    while (running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    service->wait(std::chrono::seconds(5));
    service.reset();
}

}  // namespace blynk::test
