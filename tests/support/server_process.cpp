#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "server/store/store.hpp"
#include "tests/support/postgres_server.hpp"

extern char** environ;

namespace blynk::test {
namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::filesystem::path make_temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "blynkd-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& out,
            const std::filesystem::path& err, bool append_err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(),
                                     O_WRONLY | O_CREAT | (append_err ? O_APPEND : O_TRUNC), 0644);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    setenv("BLYNKD_ALLOW_TMP_DATA", "1", 1);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn failed for " + args[0]);
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

std::vector<std::string> blynkd_command() {
    std::vector<std::string> command;
#ifdef BLYNKD_EMULATOR
    std::istringstream words(BLYNKD_EMULATOR);
    for (std::string word; words >> word;)
        command.push_back(word);
#endif
    command.push_back(BLYNKD_BINARY);
    return command;
}

const std::vector<std::string>& root_flag() {
    static const std::vector<std::string> flag =
        ::geteuid() == 0 ? std::vector<std::string>{"--allow-root"} : std::vector<std::string>{};
    return flag;
}

ServerProcess::ServerProcess(std::map<std::string, std::string> settings)
    : settings_(std::move(settings)), data_dir_(make_temp_dir()) {
    settings_.try_emplace("listen.address", "127.0.0.1");
    settings_.try_emplace("http.port", "0");
    settings_.try_emplace("https.port", "0");
    if (const char* storage = std::getenv("BLYNKD_TEST_STORAGE")) {
        settings_.try_emplace("storage", storage);
    }
    if (settings_.count("storage") && settings_["storage"] == "postgresql" &&
        !settings_.count("storage.postgresql.url")) {
        static std::atomic<unsigned> databases{0};
        settings_["storage.postgresql.url"] = PostgresServer::shared().create_database(
            "server_" + std::to_string(::getpid()) + "_" + std::to_string(databases++));
    }
    log_path_ = data_dir_ / "server.log";
}

std::string ServerProcess::database_location() const {
    auto url = settings_.find("storage.postgresql.url");
    if (url != settings_.end() && settings_.count("storage") &&
        settings_.at("storage") == "postgresql") {
        return url->second;
    }
    return store::Store::db_path(data_dir_).string();
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) kill9();
    std::error_code ec;
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(data_dir_, ec);
}

CommandResult ServerProcess::cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = blynkd_command();
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--data-dir");
    argv.push_back(data_dir_.string());
    for (const auto& [k, v] : settings_) {
        if (!k.starts_with("storage")) continue;
        argv.push_back("--set");
        argv.push_back(k + "=" + v);
    }
    // Files of their own per call, so that tests may run several at once.
    static std::atomic<unsigned> calls{0};
    const std::string name = "cli" + std::to_string(calls++);
    auto out = data_dir_ / (name + ".out"), err = data_dir_ / (name + ".err");
    CommandResult r;
    r.exit_code = wait_exit(spawn(argv, out, err, false));
    r.out = read_file(out);
    r.err = read_file(err);
    std::error_code ec;
    std::filesystem::remove(out, ec);
    std::filesystem::remove(err, ec);
    return r;
}

std::string ServerProcess::provision(const std::string& email, const std::string& device_name) {
    auto user = cli({"user", "add", email});
    if (user.exit_code != 0 && user.err.find("already exists") == std::string::npos) {
        ADD_FAILURE() << "user add failed: " << user.err;
        return {};
    }
    auto device = cli({"device", "add", email, "--name", device_name});
    EXPECT_EQ(device.exit_code, 0) << device.err;
    std::string token = device.out;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
        token.pop_back();
    EXPECT_EQ(token.size(), 32u) << "device add printed: " << device.out;
    return token;
}

void ServerProcess::start() {
    std::vector<std::string> argv = server_prefix_;
    for (auto& word : blynkd_command())
        argv.push_back(std::move(word));
    argv.insert(argv.end(), {"--data-dir", data_dir_.string()});
    argv.insert(argv.end(), root_flag().begin(), root_flag().end());
    for (const auto& [k, v] : settings_) {
        argv.push_back("--set");
        argv.push_back(k + "=" + v);
    }
    log_offset_ = std::filesystem::exists(log_path_) ? std::filesystem::file_size(log_path_) : 0;
    pid_ = spawn(argv, data_dir_ / "server.out", log_path_, true);
    const std::regex plain(R"(listening on [^ ]*:(\d+) \(hardware)");
    const std::regex tls(R"(listening on [^ ]*:(\d+) \(TLS)");
    const auto deadline = std::chrono::steady_clock::now() + patient(std::chrono::seconds(15));
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m, t;
        std::string current = log();
        if (std::regex_search(current, m, plain) && std::regex_search(current, t, tls)) {
            port_ = static_cast<uint16_t>(std::stoi(m[1]));
            tls_port_ = static_cast<uint16_t>(std::stoi(t[1]));
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("blynkd exited during start-up:\n" + current);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("blynkd did not report a listening port:\n" + log());
}

int ServerProcess::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int code = wait_exit(pid_);
    pid_ = -1;
    return code;
}

std::string ServerProcess::unexpected_exit() {
    int status = 0;
    if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) != pid_) return {};
    pid_ = -1;
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return "was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
    }
    return "exited with code " + std::to_string(WEXITSTATUS(status));
}

void ServerProcess::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait_exit(pid_);
    pid_ = -1;
}

std::string ServerProcess::log() const {
    std::string all = read_file(log_path_);
    return log_offset_ <= all.size() ? all.substr(log_offset_) : all;
}

bool ServerProcess::wait_for_log(const std::string& needle,
                                 std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + patient(timeout);
    do {
        if (log().find(needle) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

}  // namespace blynk::test
