// Store: the automation's marks (what each scheduled group handled last). Written at most a
// few times a day per group, so the statements are prepared per call.

#include "server/store/store.hpp"

namespace blynk::store {

void Store::put_automation_mark(const std::string& email, const model::AutomationMark& mark) {
    Statement st(db_,
                 "INSERT INTO automation_marks (user_email, dash_id, widget_id, rule, signature, "
                 "occurrence_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_email, dash_id, "
                 "widget_id, rule) DO UPDATE SET signature = excluded.signature, "
                 "occurrence_ms = excluded.occurrence_ms",
                 "store automation mark");
    st.bind_text(1, email);
    st.bind_int(2, mark.dash_id);
    st.bind_int(3, mark.widget_id);
    st.bind_int(4, mark.rule);
    st.bind_text(5, mark.signature);
    st.bind_int(6, mark.occurrence_ms);
    st.run_unless_orphan();  // the dashboard was deleted meanwhile: nothing to remember
}

std::vector<std::pair<std::string, model::AutomationMark>> Store::automation_marks() {
    Statement st(db_,
                 "SELECT user_email, dash_id, widget_id, rule, signature, occurrence_ms "
                 "FROM automation_marks ORDER BY user_email, dash_id, widget_id, rule",
                 "load automation marks");
    std::vector<std::pair<std::string, model::AutomationMark>> marks;
    while (st.step()) {
        marks.emplace_back(
            st.column_text(0),
            model::AutomationMark{st.column_int(1), st.column_int64(2), st.column_int(3),
                                  st.column_text(4), st.column_int64(5)});
    }
    return marks;
}

}  // namespace blynk::store
