// blynkd backup / restore and the data folder's instance lock, against the real binary.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server/store/sql_handle.hpp"
#include "server/store/store.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

namespace fs = std::filesystem;

constexpr int kCommittedPins = 200;

/// 8 KB per pin: 1.6 MB of values, so the copy takes several steps (of 256 pages, 1 MiB) while
/// the writers keep committing.
std::string committed_value(int pin) {
    return "before-" + std::to_string(pin) + "-" +
           std::string(8000, static_cast<char>('a' + pin % 26));
}

class BackupTest : public ServerTest {
protected:
    std::map<std::string, std::string> settings() const override {
        return {{"storage.flush.interval.ms", "50"}, {"user.message.quota.limit", "100000"}};
    }

    fs::path live_db() const { return store::Store::db_path(server_->data_dir()); }

    /// Rows in the live database's pin_values, read beside the running server.
    int64_t committed_pins() const {
        store::Database db(live_db().string());
        store::Statement st(db, "SELECT COUNT(*) FROM pin_values", "count pins");
        return st.step() ? st.column_int64(0) : 0;
    }

    /// Waits until the server has committed at least `n` pin values.
    bool wait_committed(int64_t n) const {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (committed_pins() >= n) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    /// A hardware client that writes pin values until stopped; counts what it sent.
    struct Writer {
        Writer(std::unique_ptr<RawClient> c, std::string p)
            : client(std::move(c)), prefix(std::move(p)) {}

        std::unique_ptr<RawClient> client;
        std::string prefix;
        std::atomic<bool> stop{false};
        std::atomic<int> sent{0};
        std::thread thread;

        void start() {
            thread = std::thread([this] {
                for (int i = 0; !stop; ++i) {
                    client->send_frame(cmd::kHardware, 100,
                                       body({"vw", std::to_string(kCommittedPins + i % 50),
                                             prefix + std::to_string(i)}));
                    ++sent;
                    std::this_thread::sleep_for(1ms);
                }
            });
        }
        void finish() {
            stop = true;
            thread.join();
        }
    };
};

std::string pragma_text(store::Database& db, const char* sql) {
    store::Statement st(db, sql, sql);
    return st.step() ? st.column_text(0) : std::string();
}

TEST_F(BackupTest, ACopyUnderWriteLoadIsIntactAndHoldsEveryRowCommittedBeforeIt) {
    auto board = logged_in(token_a_);
    for (int pin = 0; pin < kCommittedPins; ++pin)
        board->send_frame(cmd::kHardware, 2,
                          body({"vw", std::to_string(pin), committed_value(pin)}));
    ASSERT_TRUE(wait_committed(kCommittedPins));

    Writer a(std::move(board), "during-a-");
    Writer b(logged_in(token_b_), "during-b-");
    a.start();
    b.start();
    std::this_thread::sleep_for(200ms);
    const int sent_before = a.sent + b.sent;
    const fs::path copy = server_->data_dir() / "backups" / "blynkd-backup.db";
    fs::create_directories(copy.parent_path());
    const CommandResult result = server_->cli({"backup", copy.string()});
    const int sent_during = a.sent + b.sent - sent_before;
    std::this_thread::sleep_for(200ms);
    a.finish();
    b.finish();

    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(
        result.out.rfind(
            "backup written to " + copy.string() + ": 1 user(s), 1 dashboard(s), 2 device(s), ", 0),
        0u)
        << result.out;
    EXPECT_GT(sent_during, 0) << "the writers stalled while the backup ran";
    EXPECT_GT(fs::file_size(copy), 1u << 20) << "too small to be copied in several steps";
    for (const auto& entry : fs::directory_iterator(copy.parent_path()))
        EXPECT_EQ(entry.path(), copy) << "left behind: " << entry.path();

    {
        store::Database db(copy.string());
        EXPECT_EQ(pragma_text(db, "PRAGMA integrity_check"), "ok");
        EXPECT_EQ(pragma_text(db, "PRAGMA journal_mode"), "delete");  // one self-contained file
    }
    store::Store restored(copy.string());
    auto row = restored.find_device_by_token(token_a_);
    ASSERT_TRUE(row);
    for (int pin = 0; pin < kCommittedPins; ++pin) {
        const model::PinKey key{model::PinType::Virtual, static_cast<uint8_t>(pin)};
        ASSERT_TRUE(row->device.pins.contains(key)) << "v" << pin << " missing";
        EXPECT_EQ(row->device.pins.at(key), committed_value(pin)) << "v" << pin;
    }
    // The server kept committing while the copy was made.
    EXPECT_TRUE(wait_committed(kCommittedPins + 50));
}

TEST_F(BackupTest, RestoreIsRefusedWhileTheServerRunsAndWorksWhenItIsStopped) {
    auto board = logged_in(token_a_);
    board->send_frame(cmd::kHardware, 2, body({"vw", "1", "kept"}));
    ASSERT_TRUE(wait_committed(1));
    const fs::path copy = server_->data_dir() / "saved.db";
    ASSERT_EQ(server_->cli({"backup", copy.string()}).exit_code, 0);
    board.reset();

    const CommandResult refused = server_->cli({"restore", copy.string()});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("restore refused: a blynkd server is running on " +
                               server_->data_dir().string() + " (pid "),
              std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find(", server); stop it first"), std::string::npos) << refused.err;

    // What the backup holds is gone from the live database ...
    ASSERT_EQ(server_->cli({"user", "delete", "alice@example.com"}).exit_code, 0);
    ASSERT_EQ(server_->stop(), 0);
    // ... and comes back with restore.
    const CommandResult restored = server_->cli({"restore", copy.string()});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    EXPECT_EQ(restored.out, "restored " + copy.string() + " into " + live_db().string() +
                                ": 1 user(s), 1 dashboard(s), 2 device(s), 1 pin value(s); " +
                                std::to_string((fs::file_size(copy) + 1023) / 1024) +
                                " KiB, schema version 5\n");
    EXPECT_NE(restored.err.find("the replaced database is kept as " + live_db().string() +
                                ".before-restore-"),
              std::string::npos)
        << restored.err;

    server_->start();
    auto again = logged_in(token_a_);
    again->send_frame(cmd::kHardwareSync, 3);
    EXPECT_TRUE(again->expect(frame(cmd::kHardware, 3, body({"vw", "1", "kept"}))));
}

TEST_F(BackupTest, RestoreRefusesFilesThatAreNotBlynkdDatabasesOrTooNew) {
    ASSERT_EQ(server_->stop(), 0);
    const fs::path junk = server_->data_dir() / "junk.db";
    { std::ofstream(junk) << "this is not a database, just text long enough to be read"; }
    CommandResult r = server_->cli({"restore", junk.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "error: restore failed: " + junk.string() + " is not an SQLite database\n");
    r = server_->cli({"restore", (server_->data_dir() / "missing.db").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

    // A backup made by a newer blynkd (a schema this one does not know).
    const fs::path newer = server_->data_dir() / "newer.db";
    ASSERT_EQ(server_->cli({"backup", newer.string()}).exit_code, 0);
    {
        store::Database db(newer.string());
        db.exec("PRAGMA user_version = 99", "pretend a newer schema");
    }
    r = server_->cli({"restore", newer.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "error: restore failed: " + newer.string() +
                         " has schema version 99, written by a newer blynkd; this one knows up "
                         "to 5\n");
    // Nothing was replaced: the server starts on the data it had.
    server_->start();
    logged_in(token_a_);
}

TEST_F(BackupTest, ASecondServerOnTheSameDataFolderIsRefused) {
    // Same ports too: without the lock it would fail differently (address in use), not hang.
    std::vector<std::string> run = root_flag();
    run.insert(run.end(), {"run", "--set", "listen.address=127.0.0.1", "--set",
                           "http.port=" + std::to_string(server_->port()), "--set",
                           "https.port=" + std::to_string(server_->tls_port())});
    const CommandResult second = server_->cli(run);
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_NE(second.err.find("blynkd: data folder " + server_->data_dir().string() +
                              " is in use by another blynkd (pid "),
              std::string::npos)
        << second.err;
    EXPECT_NE(second.err.find(", server); only one server can use a data folder"),
              std::string::npos)
        << second.err;
    // The first one still serves.
    logged_in(token_a_);
}

}  // namespace
}  // namespace blynk::test
