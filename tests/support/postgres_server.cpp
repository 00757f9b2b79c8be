#include "tests/support/postgres_server.hpp"

#include <libpq-fe.h>
#include <signal.h>

#include <stdexcept>
#include <vector>

#include "tests/support/service_process.hpp"

namespace blynk::test {
namespace {

constexpr const char* kSuperuser = "blynkd";

/// /usr/lib/postgresql/<highest version>/bin, where Debian puts initdb and postgres.
std::filesystem::path postgres_bin_dir() {
    const std::filesystem::path root = "/usr/lib/postgresql";
    std::filesystem::path best;
    int best_version = -1;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (!std::filesystem::exists(entry.path() / "bin" / "postgres")) continue;
        if (const int version = std::stoi(name); version > best_version) {
            best_version = version;
            best = entry.path() / "bin";
        }
    }
    if (best.empty())
        throw std::runtime_error(
            "no PostgreSQL server in /usr/lib/postgresql (scripts/install-deps.sh test installs "
            "it)");
    return best;
}

}  // namespace

PostgresServer::PostgresServer(
    std::initializer_list<std::pair<const std::string, std::string>> settings)
    : folder_("blynkd-postgres"), settings_(settings) {
    ChildProcess initdb(
        service_command({(postgres_bin_dir() / "initdb").string(), "-D", (dir() / "data").string(),
                         "--auth=trust", std::string("--username=") + kSuperuser, "--encoding=UTF8",
                         "--no-locale", "--no-sync", "--no-instructions"},
                        "SIGKILL"),
        dir() / "postgres.log", ChildProcess::ReadyLine::none);
    if (!initdb.wait(std::chrono::seconds(60)) || initdb.exit_code() != 0)
        throw std::runtime_error("initdb failed (exit code " + std::to_string(initdb.exit_code()) +
                                 "):\n" + log());
    start_on_free_port(port_, [this] { start(); });
}

PostgresServer::~PostgresServer() {
    stop();
}

PostgresServer& PostgresServer::shared() {
    static PostgresServer server;
    return server;
}

std::string PostgresServer::url(const std::string& database) const {
    return std::string("postgresql://") + kSuperuser + "@127.0.0.1:" + std::to_string(port_) + "/" +
           database;
}

std::string PostgresServer::create_database(const std::string& name) {
    const std::unique_ptr<PGconn, decltype(&PQfinish)> connection(
        PQconnectdb(url("postgres").c_str()), &PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK)
        throw std::runtime_error("cannot connect to " + url("postgres") + ": " +
                                 PQerrorMessage(connection.get()));
    const std::unique_ptr<char, decltype(&PQfreemem)> quoted(
        PQescapeIdentifier(connection.get(), name.c_str(), name.size()), &PQfreemem);
    const std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexec(connection.get(), ("CREATE DATABASE " + std::string(quoted.get())).c_str()),
        &PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
        throw std::runtime_error("CREATE DATABASE " + name +
                                 " failed: " + PQresultErrorMessage(result.get()));
    return url(name);
}

void PostgresServer::start() {
    if (process_) return;
    // Defaults for tests, then the test's own settings (a later -c wins).
    std::map<std::string, std::string> config = {{"listen_addresses", "127.0.0.1"},
                                                 {"fsync", "off"},
                                                 {"full_page_writes", "off"},
                                                 {"shared_buffers", "16MB"}};
    for (const auto& [name, value] : settings_)
        config[name] = value;
    std::vector<std::string> command = {(postgres_bin_dir() / "postgres").string(),
                                        "-D",
                                        (dir() / "data").string(),
                                        "-p",
                                        std::to_string(port_),
                                        "-k",
                                        dir().string()};
    for (const auto& [name, value] : config) {
        command.push_back("-c");
        command.push_back(name + "=" + value);
    }
    // SIGINT, a fast shutdown, should the test process die without stopping it.
    const std::string probe = url("postgres") + "?connect_timeout=2";
    process_ = start_service(
        "postgres", service_command(command, "SIGINT"), dir() / "postgres.log",
        [&probe] { return PQping(probe.c_str()) == PQPING_OK; }, std::chrono::seconds(30));
}

void PostgresServer::stop() {
    stop_service(process_, SIGINT, std::chrono::seconds(30));
}

void PostgresServer::kill() {
    kill_service(process_);
}

std::string PostgresServer::log() const {
    return file_text(dir() / "postgres.log");
}

}  // namespace blynk::test
