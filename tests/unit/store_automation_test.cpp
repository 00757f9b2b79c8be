// The automation's marks on both engines (schema version 5): one per group, replaced in place, gone
// with their dashboard, and nothing stored for a dashboard that no longer exists.

#include "tests/unit/store_test_support.hpp"

namespace blynk::store {
namespace {

TEST_P(StoreFileTest, MarksAreReplacedPerGroupAndGoWithTheirDashboard) {
    Store store(path_);
    store.add_user("a@b.c", "h", model::PasswordKind::App);
    model::Dashboard dash;
    dash.id = 4;
    dash.name = "Garden";
    store.create_dashboard("a@b.c", dash, 10, 10);

    store.put_automation_mark("a@b.c", {4, 50, -1, "sig", 1000});
    store.put_automation_mark("a@b.c", {4, 50, -1, "sig2", 2000});
    store.put_automation_mark("a@b.c", {4, 60, 1, "rule", 3000});
    store.put_automation_mark("a@b.c", {9, 50, -1, "no such dashboard", 4000});
    auto marks = store.automation_marks();
    ASSERT_EQ(marks.size(), 2u);
    EXPECT_EQ(marks[0].first, "a@b.c");
    EXPECT_EQ(marks[0].second.widget_id, 50);
    EXPECT_EQ(marks[0].second.signature, "sig2");
    EXPECT_EQ(marks[0].second.occurrence_ms, 2000);
    EXPECT_EQ(marks[1].second.rule, 1);
    EXPECT_EQ(marks[1].second.occurrence_ms, 3000);

    store.delete_dashboard("a@b.c", 4);
    EXPECT_TRUE(store.automation_marks().empty());
}

}  // namespace
}  // namespace blynk::store
