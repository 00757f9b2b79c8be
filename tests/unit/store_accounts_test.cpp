// The store's accounts on both engines (SQLite, PostgreSQL): password kinds and changes,
// administrators, deleting a user with everything the account holds.

#include "server/store/sql_handle.hpp"
#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

TEST_P(StoreFileTest, PasswordKindsAndSetPassword) {
    Store store(path_);
    model::User u = store.add_user("app@b.c", "app-hash", model::PasswordKind::App);
    EXPECT_EQ(u.password_kind, model::PasswordKind::App);
    store.add_user("clear@b.c", "clear-hash", model::PasswordKind::Clear);
    store.add_user("none@b.c", "", kNoPassword);
    const int64_t seq = store.last_provision_seq();

    EXPECT_FALSE(store.set_password("nobody@b.c", "x", model::PasswordKind::App));
    EXPECT_EQ(store.last_provision_seq(), seq);  // nothing logged for a missing user
    EXPECT_TRUE(store.set_password("clear@b.c", "new-hash", model::PasswordKind::App));

    auto users = store.load_all();
    ASSERT_EQ(users.size(), 3u);
    EXPECT_EQ(users[0].email, "app@b.c");
    EXPECT_EQ(users[0].password_hash, "app-hash");
    EXPECT_EQ(users[0].password_kind, model::PasswordKind::App);
    EXPECT_EQ(users[1].email, "clear@b.c");
    EXPECT_EQ(users[1].password_hash, "new-hash");
    EXPECT_EQ(users[1].password_kind, model::PasswordKind::App);
    EXPECT_EQ(users[2].password_hash, "");
    EXPECT_EQ(users[2].password_kind, model::PasswordKind::None);

    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, kPasswordChanged);
    EXPECT_EQ(events[0].kind, "password_changed");
    EXPECT_EQ(events[0].email, "clear@b.c");
    EXPECT_EQ(events[0].token, "");
}

TEST_P(StoreFileTest, AdministratorsAreStoredAndChangedWithAProvisionEvent) {
    Store store(path_);
    EXPECT_TRUE(store.add_user("root@b.c", "h", model::PasswordKind::App, /*admin=*/true).admin);
    store.add_user("user@b.c", "h", model::PasswordKind::App);
    EXPECT_TRUE(store.find_user("root@b.c")->admin);
    EXPECT_FALSE(store.find_user("user@b.c")->admin);
    const int64_t seq = store.last_provision_seq();
    EXPECT_FALSE(store.set_admin("nobody@b.c", true));
    EXPECT_EQ(store.last_provision_seq(), seq);
    EXPECT_TRUE(store.set_admin("user@b.c", true));
    EXPECT_TRUE(store.set_admin("root@b.c", false));

    auto users = store.load_all();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_FALSE(users[0].admin);  // root@
    EXPECT_TRUE(users[1].admin);   // user@
    auto summaries = store.list_users();
    ASSERT_EQ(summaries.size(), 2u);
    EXPECT_FALSE(summaries[0].admin);
    EXPECT_TRUE(summaries[1].admin);
    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, "admin_changed");
    EXPECT_EQ(events[0].email, "user@b.c");
    EXPECT_EQ(events[1].email, "root@b.c");
}

TEST_P(StoreFileTest, DeletingAUserTakesEverythingTheAccountHolds) {
    Store store(path_);
    store.add_user("a@b.c", "h", model::PasswordKind::App);
    store.add_user("keep@b.c", "h", model::PasswordKind::App);
    const auto a = store.add_device("a@b.c", "A", "ESP32", std::nullopt, 10);
    const auto keep = store.add_device("keep@b.c", "K", "ESP32", std::nullopt, 10);
    store.put_push_token("a@b.c", model::PushToken{a.dash_id, "uid", "fcm", "android"});
    const int64_t seq = store.last_provision_seq();

    EXPECT_TRUE(store.delete_user("a@b.c"));
    EXPECT_FALSE(store.delete_user("a@b.c"));
    EXPECT_FALSE(store.find_user("a@b.c"));
    EXPECT_FALSE(store.find_device_by_token(a.device.token)) << "its token no longer works";
    EXPECT_TRUE(store.find_device_by_token(keep.device.token)) << "nobody else's is touched";
    auto users = store.load_all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].email, "keep@b.c");
    auto events = store.provision_events_after(seq);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, "user_deleted");
    EXPECT_EQ(events[0].email, "a@b.c");
}

}  // namespace
}  // namespace blynk::store
