// blynkd import-java against the real binary, on a data folder written the way the Java
// blynk-server writes it (tests/fixtures/java).

#include <filesystem>

#include <nlohmann/json.hpp>

#include "server/store/store.hpp"
#include "tests/support/app_client.hpp"
#include "tests/support/fixture.hpp"

namespace blynk::test {
namespace {

namespace fs = std::filesystem;

const std::string kAliceToken = "Xk9PqR2sT4uV6wY8zA1bC3dE5fG7hJ0k";
const std::string kSoilToken = "5f2b8c1d9e3a4b6c7d8e9f0a1b2c3d4e";  // an old hex token
const std::string kBobToken = "b0b5d3v1c3t0k3n5f0r4qu4r1umtank0";

const std::string kAliceImported =
    "alice@example.com (alice@example.com.Blynk.user): imported: 2 dashboards, 7 widgets, "
    "3 devices (tokens kept), 10 pin values, 1 pin property, 1 share token\n"
    "  note: pinsStorage entry \"1-5-v1\" left out: dashboard 1 has no device 5 (a device "
    "selector or tag target)\n";
const std::string kBobImported =
    "bob@example.com (bob@example.com.Blynk.user): imported: 1 dashboard, 2 widgets, 1 device "
    "(tokens kept), 3 pin values, 1 pin property, 0 share tokens\n"
    "  note: super admin: made an administrator\n";
const std::string kCarolSkipped =
    "carol@example.com.Blynk.user: skipped: not valid JSON (cut short while the Java server wrote "
    "it?)\n";

class JavaImportTest : public ::testing::Test {
protected:
    CommandResult import(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"import-java",
                                      std::string(BLYNKD_SOURCE_DIR) + "/tests/fixtures/java/data"};
        args.insert(args.end(), extra.begin(), extra.end());
        return server_.cli(args);
    }
    fs::path db() const { return store::Store::db_path(server_.data_dir()); }

    void TearDown() override {
        const std::string crash = server_.unexpected_exit();
        if (!crash.empty()) ADD_FAILURE() << "blynkd " << crash << "; its log:\n" << server_.log();
    }

    ServerProcess server_;
};

TEST_F(JavaImportTest, DryRunPrintsThePlanAndWritesNothing) {
    const CommandResult r = import({"--dry-run"});
    EXPECT_EQ(r.exit_code, 1) << r.err;  // carol's file is skipped
    EXPECT_NE(r.out.find("alice@example.com (alice@example.com.Blynk.user): would import: 2 "
                         "dashboards, 7 widgets,"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(kCarolSkipped), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("dry run, nothing written: 2 to import, 0 unchanged, 0 refused, "
                         "1 skipped\n"),
              std::string::npos)
        << r.out;
    EXPECT_FALSE(fs::exists(db()));
}

TEST_F(JavaImportTest, BoardsKeepTheirTokensAndAppsTheirPasswordsAndDashboards) {
    const CommandResult first = import();
    EXPECT_EQ(first.exit_code, 1) << first.err;
    EXPECT_EQ(first.out, kAliceImported + kBobImported + kCarolSkipped +
                             "2 imported, 0 unchanged, 0 refused, 1 skipped\n");

    int64_t seq = store::Store(db().string()).last_provision_seq();
    const CommandResult second = import();
    EXPECT_EQ(second.out,
              "alice@example.com (alice@example.com.Blynk.user): unchanged, already imported\n"
              "bob@example.com (bob@example.com.Blynk.user): unchanged, already imported\n" +
                  kCarolSkipped + "0 imported, 2 unchanged, 0 refused, 1 skipped\n");
    EXPECT_EQ(store::Store(db().string()).last_provision_seq(), seq) << "second run wrote";

    server_.start();
    RawClient board(server_.port());
    board.login(kAliceToken);
    // The imported BUTTON on D5 makes the server set the pin's mode, as the Java server did.
    EXPECT_TRUE(board.expect(frame(cmd::kHardware, 1, body({"pm", "5", "out"}))));
    board.send_frame(cmd::kHardwareSync, 2);
    EXPECT_TRUE(board.expect(frame(cmd::kHardware, 2, body({"dw", "5", "1"})) +
                             frame(cmd::kHardware, 2, body({"vw", "1", "23.5"})) +
                             frame(cmd::kHardware, 2, body({"vw", "7", "hello"})) +
                             frame(cmd::kHardware, 2, body({"vw", "40", "line two"}))));
    RawClient soil(server_.port());
    soil.login(kSoilToken);
    RawClient tank(server_.port());
    tank.login(kBobToken);
    tank.send_frame(cmd::kHardwareSync, 3);
    EXPECT_TRUE(tank.expect(frame(cmd::kHardware, 3, body({"aw", "3", "512"})) +
                            frame(cmd::kHardware, 3, body({"vw", "2", "255"})) +
                            frame(cmd::kHardware, 3, body({"vw", "4", "24.8"}))));

    AppClient app(server_.port());
    ASSERT_EQ(app.login("alice@example.com", "alice-secret"), status::kOk);
    const auto profile = nlohmann::json::parse(app.request(cmd::kLoadProfileGzipped, 2));
    const auto& dashes = profile.at("dashBoards");
    ASSERT_EQ(dashes.size(), 2u);
    const auto& greenhouse = dashes[0];
    EXPECT_EQ(greenhouse.at("name"), "Greenhouse");
    EXPECT_EQ(greenhouse.at("theme"), "Blynk");
    std::vector<std::string> types;
    for (const auto& w : greenhouse.at("widgets"))
        types.push_back(w.at("type"));
    EXPECT_EQ(types, (std::vector<std::string>{"BUTTON", "GAUGE", "RGB", "DEVICE_TILES",
                                               "HOLOGRAM_PROJECTOR", "TERMINAL"}));
    const auto& widgets = greenhouse.at("widgets");
    EXPECT_EQ(widgets[1].at("value"), "23.5");
    EXPECT_EQ(widgets[2].at("pins")[1].at("value"), "128");
    EXPECT_EQ(widgets[3].at("tiles")[0].at("dataStream").at("value"), "41");
    EXPECT_EQ(widgets[3].at("templates")[0].at("widgets")[0].at("type"), "LABELED_VALUE_DISPLAY");
    EXPECT_EQ(widgets[4].at("beamColor"), "#00ff00");
    EXPECT_EQ(greenhouse.at("devices")[0].at("token"), kAliceToken);
    EXPECT_EQ(greenhouse.at("devices")[0].at("vendor"), "Espressif");
    EXPECT_EQ(dashes[1].at("widgets")[0].at("value"), "42");
    const auto& storage = profile.at("pinsStorage");
    EXPECT_EQ(storage.at("1-0-v7"), "hello");
    EXPECT_EQ(storage.at("1-0-v8-label"), "Soil temperature");
    EXPECT_EQ(storage.at("2-0-v9"), "9.5");

    // The dashboard's share token came along: a guest logs in to it.
    AppClient guest(server_.port());
    guest.send(cmd::kShareLogin, 1,
               body({"alice@example.com", "ShAr3dT0k3n-AbCdEfGhIjKlMnOpQrSt", "Android", "24"}));
    EXPECT_TRUE(guest.expect_response(1, status::kOk));

    AppClient bob(server_.port());
    ASSERT_EQ(bob.login("bob@example.com", "Bob's p@ss"), status::kOk);
    const auto bob_profile = nlohmann::json::parse(bob.request(cmd::kLoadProfileGzipped, 2));
    EXPECT_EQ(bob_profile.at("dashBoards")[0].at("widgets")[0].at("value"), "255");
    EXPECT_EQ(bob_profile.at("pinsStorage").at("7-0-a3"), "512");
}

TEST_F(JavaImportTest, AnExistingUserIsRefusedUnlessOverwriteIsGiven) {
    ASSERT_EQ(server_.cli({"user", "add", "alice@example.com", "--password", "other"}).exit_code,
              0);
    const CommandResult refused = import();
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_EQ(refused.out,
              "alice@example.com (alice@example.com.Blynk.user): refused: blynkd already has a "
              "user alice@example.com with other data; --overwrite replaces it (with "
              "everything it holds now)\n" +
                  kBobImported + kCarolSkipped + "1 imported, 0 unchanged, 1 refused, 1 skipped\n");

    const CommandResult replaced = import({"--overwrite"});
    EXPECT_NE(replaced.out.find("alice@example.com (alice@example.com.Blynk.user): replaced: 2 "
                                "dashboards"),
              std::string::npos)
        << replaced.out;
    EXPECT_NE(replaced.out.find("bob@example.com (bob@example.com.Blynk.user): unchanged"),
              std::string::npos)
        << replaced.out;

    server_.start();
    AppClient app(server_.port());
    EXPECT_EQ(app.login("alice@example.com", "alice-secret"), status::kOk);
}

TEST_F(JavaImportTest, RefusedWhileTheServerRuns) {
    server_.start();
    const CommandResult r = import();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("error: import-java needs the server stopped: a blynkd server is "
                         "running on " +
                         server_.data_dir().string()),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace blynk::test
