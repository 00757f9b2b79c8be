// Security defaults of the real binary: TLS below 1.2 refused unless latest.tls=false; every file
// blynkd makes in its data folder (and a backup) readable by its user alone; no start as root
// without --allow-root, and no command as root in a folder that belongs to another user.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

namespace fs = std::filesystem;

/// The TLS version a handshake with only `version` offered agreed on ("TLSv1.2"), or "refused".
/// The client allows every cipher and security level, so that only the server can refuse.
std::string handshake(uint16_t port, int version) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string result = "no connection";
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        SSL_set_tlsext_host_name(ssl, "localhost");
        result = SSL_connect(ssl) == 1 ? SSL_get_version(ssl) : "refused";
        if (result == "TLSv1.2") result += std::string(" ") + SSL_get_cipher_name(ssl);
        SSL_free(ssl);
    }
    ::close(fd);
    SSL_CTX_free(ctx);
    return result;
}

TEST(SecurityTlsTest, OnlyTls12And13ByDefaultOnBothPorts) {
    ServerProcess server;
    server.start();
    for (uint16_t port : {server.tls_port(), server.port()}) {
        SCOPED_TRACE(port == server.port() ? "plain port" : "TLS port");
        EXPECT_EQ(handshake(port, TLS1_VERSION), "refused");
        EXPECT_EQ(handshake(port, TLS1_1_VERSION), "refused");
        const std::string v12 = handshake(port, TLS1_2_VERSION);
        EXPECT_TRUE(v12.starts_with("TLSv1.2 ECDHE-")) << v12;
        EXPECT_TRUE(v12.find("GCM") != std::string::npos ||
                    v12.find("CHACHA20") != std::string::npos)
            << "an AEAD suite: " << v12;
        EXPECT_EQ(handshake(port, TLS1_3_VERSION), "TLSv1.3");
    }
}

TEST(SecurityTlsTest, LatestTlsFalseAllowsTls10And11ForOldBoards) {
    ServerProcess server(std::map<std::string, std::string>{{"latest.tls", "false"}});
    server.start();
    EXPECT_EQ(handshake(server.tls_port(), TLS1_VERSION), "TLSv1");
    EXPECT_EQ(handshake(server.tls_port(), TLS1_1_VERSION), "TLSv1.1");
    EXPECT_EQ(handshake(server.tls_port(), TLS1_3_VERSION), "TLSv1.3");
}

struct RunResult {
    int exit_code = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

std::string file_text(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// blynkd with `args` (nothing added: no --data-dir, no --allow-root) through the shell; its
/// output goes through `output_file` and `output_file`.err. A server that starts where it should
/// have refused is stopped after a while (exit code 124).
RunResult run_blynkd(const std::vector<std::string>& args, const fs::path& output_file) {
    const auto limit = std::chrono::duration_cast<std::chrono::seconds>(patient(30s)).count();
    std::string command = "BLYNKD_ALLOW_TMP_DATA=1 timeout " + std::to_string(limit);
    for (const std::string& word : blynkd_command())
        command += " '" + word + "'";
    for (const std::string& word : args)
        command += " '" + word + "'";
    const fs::path error_file = output_file.string() + ".err";
    command += " </dev/null >'" + output_file.string() + "' 2>'" + error_file.string() + "'";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, file_text(output_file),
            file_text(error_file)};
}

/// A temporary folder of this test's own (the server's data folder goes inside it).
class ScratchFolder {
public:
    ScratchFolder() {
        std::string name = (fs::temp_directory_path() / "blynkd-security-XXXXXX").string();
        if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = name;
    }
    ~ScratchFolder() {
        std::error_code ec;
        if (!::testing::Test::HasFailure()) fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string mode_of(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return "missing";
    char text[8];
    std::snprintf(text, sizeof text, "%04o", st.st_mode & 07777);
    return text;
}

/// "<path> <mode>" of every entry whose mode is not 0700 (folders) or 0600 (files).
std::string loose_modes(const fs::path& folder) {
    std::string loose;
    std::string mode = mode_of(folder);
    if (mode != "0700") loose += folder.string() + " " + mode + "\n";
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        mode = mode_of(entry.path());
        if (mode != (entry.is_directory() ? "0700" : "0600"))
            loose += entry.path().string() + " " + mode + "\n";
    }
    return loose;
}

/// Sets the process's umask (which children inherit) for its lifetime.
class UmaskScope {
public:
    explicit UmaskScope(mode_t mask) : saved_(::umask(mask)) {}
    ~UmaskScope() { ::umask(saved_); }

private:
    mode_t saved_;
};

TEST(SecurityFilesTest, EverythingInTheDataFolderIsTheUsersAlone) {
    // A permissive umask in the environment (022 is the usual one) must not decide the modes.
    UmaskScope permissive(022);
    ScratchFolder scratch;
    const fs::path data = scratch.path() / "data";
    const fs::path out = scratch.path() / "cli.out";
    ASSERT_EQ(
        run_blynkd(
            {"user", "add", "a@example.com", "--password", "pw", "--data-dir", data.string()}, out)
            .exit_code,
        0);
    const RunResult device =
        run_blynkd({"device", "add", "a@example.com", "--data-dir", data.string()}, out);
    ASSERT_EQ(device.exit_code, 0) << device.err;
    const std::string token = device.out.substr(0, device.out.find('\n'));

    ServerProcess server({{"data.folder", data.string()}, {"storage.flush.interval.ms", "50"}});
    server.start();
    RawClient board(server.port());
    board.login(token);
    board.send_frame(cmd::kHardware, 2, body({"vw", "1", "kept"}));
    const fs::path backup = scratch.path() / "backup.db";
    const RunResult backed_up =
        run_blynkd({"backup", backup.string(), "--data-dir", data.string()}, out);
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
    // While the server runs: the database with its WAL and shared memory, the lock, TLS files.
    for (const char* name : {"blynkd.db", "blynkd.db-wal", "blynkd.db-shm", "blynkd.lock",
                             "tls/cert.pem", "tls/key.pem"}) {
        EXPECT_TRUE(fs::exists(data / name)) << name << " was not made";
    }
    EXPECT_EQ(loose_modes(data), "");
    EXPECT_EQ(mode_of(backup), "0600");
    ASSERT_EQ(server.stop(), 0);

    // A restore keeps the database it replaces beside the new one.
    const RunResult restored =
        run_blynkd({"restore", backup.string(), "--data-dir", data.string()}, out);
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    EXPECT_EQ(loose_modes(data), "");

    // A database made by an older blynkd (or copied in) that others may read is pointed out.
    fs::permissions(data / "blynkd.db", fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::add);
    const RunResult listed = run_blynkd({"user", "list", "--data-dir", data.string()}, out);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.err.find((data / "blynkd.db").string() +
                              " is open to other users (mode 0644); blynkd makes its files 0600: "
                              "chmod go-rwx " +
                              (data / "blynkd.db").string()),
              std::string::npos)
        << listed.err;
}

TEST(SecurityRootTest, TheServerRefusesRootWithoutAllowRoot) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (the tests run as root here and in CI)";
    ScratchFolder scratch;
    const std::string data = (scratch.path() / "data").string();
    const RunResult refused = run_blynkd({"--data-dir", data, "--set", "listen.address=127.0.0.1",
                                          "--set", "http.port=0", "--set", "https.port=0"},
                                         scratch.path() / "out");
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_EQ(refused.err,
              "blynkd: refusing to run the server as root: a network service should not hold "
              "every privilege of the machine; run it as a normal user (the Debian package's "
              "systemd unit and the Docker image do), or pass --allow-root\n");
    EXPECT_FALSE(fs::exists(data)) << "refused before touching the data folder";

    ServerProcess server;  // passes --allow-root as root
    server.start();
    EXPECT_TRUE(server.wait_for_log("running as root, as --allow-root asks"));
    EXPECT_EQ(server.stop(), 0);
}

TEST(SecurityRootTest, CommandsAsRootRefuseAFolderOfAnotherUser) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (the tests run as root here and in CI)";
    ScratchFolder scratch;
    const fs::path data = scratch.path() / "service-data";
    const fs::path out = scratch.path() / "out";
    // Root's own folder (make run, a root-run server): commands just work.
    const RunResult own =
        run_blynkd({"user", "add", "a@example.com", "--data-dir", data.string()}, out);
    EXPECT_EQ(own.exit_code, 0) << own.err;
    EXPECT_EQ(own.err.find("warn"), std::string::npos) << own.err;

    constexpr uid_t kNobody = 65534;
    ASSERT_EQ(::chown(data.c_str(), kNobody, kNobody), 0);
    const RunResult refused =
        run_blynkd({"user", "add", "b@example.com", "--data-dir", data.string()}, out);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_EQ(refused.err, "blynkd: refusing to run \"user\" as root on data folder " +
                               data.string() +
                               ", which belongs to user nobody: files root creates there "
                               "would lock that user's server out; run it as that user (sudo "
                               "-u nobody blynkd ...), or pass --allow-root\n");
    const RunResult list = run_blynkd({"device", "list", "--data-dir", data.string()}, out);
    EXPECT_EQ(list.exit_code, 1) << "reading opens the database too (and may create its WAL)";

    const RunResult allowed = run_blynkd(
        {"user", "add", "b@example.com", "--allow-root", "--data-dir", data.string()}, out);
    EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
    EXPECT_NE(
        allowed.err.find("data folder " + data.string() + " belongs to user nobody, not to root"),
        std::string::npos)
        << allowed.err;
}

}  // namespace
}  // namespace blynk::test
