// "Which protocol for this customer?": everyday customers as one-click profiles, the chooser's
// five questions as a short form, and the recommendation, updated as the answers change (a
// profile and "Show me": two clicks from the start screen to the proving lesson): one reason
// per table row, each with a "Show me" that opens the lesson proving it at its deciding step,
// paused, and the settings for
// the customer's mail app. The decision is recommend() in
// sim/lesson/chooser.cpp, the same code as `mailscope-cli choose`.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "a11y_twin.hpp"
#include "harness/widget_rects.hpp"
#include "icons.hpp"
#include "lesson/chooser.hpp"
#include "lesson/report.hpp"
#include "lesson/table.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"

namespace ms {

namespace {

// One question: a label and its answers as radio buttons on one line. True when the agent
// clicked an answer (even the one already shown): the customer has been asked.
bool question(const char* label, const char* const* answers, int n, int& value) {
  ImGui::TextUnformatted(label);
  ImGui::PushID(label);
  ImGui::Indent();
  bool asked = false;
  for (int i = 0; i < n; ++i) {
    if (i > 0) ImGui::SameLine(0, ImGui::GetFontSize() * 1.2f);
    if (ImGui::RadioButton(answers[i], value == i)) value = i, asked = true;
    if (widgets::recording()) widgets::mark(std::string("chooser/answer/") + answers[i]);
  }
  ImGui::Unindent();
  ImGui::PopID();
  return asked;
}

// "Show me": the proving lesson at the end of the step that decides `row` (as a cell of the
// comparison table opens it), paused, so that the agent sees the proof at once rather than
// the lesson's opening; apply_open_lesson finds the step from the lesson's run.
void show_proof(UiState& ui, const std::string& lesson, const std::string& row) {
  ui.open_lesson = lesson;
  ui.open_row = row;
  ui.open_step = 0;
  ui.open_play = false;
}

#ifdef __EMSCRIPTEN__
// The page's own address (no query): the site the browser build is served from.
EM_JS(int, web_page_address, (char* out, int size), {
  return stringToUTF8(location.origin + location.pathname, out, size);
});
#endif

}  // namespace

// Where the customer can see the recommendation proved: the browser build's address of the
// proving lesson at its deciding step ("?lesson=L&step=S", the deep link the HTML export's
// table cells use). The browser build is its own site; natively a site is configured with
// MAILSCOPE_SITE_URL (the address of the site's index.html), else there is no link: the
// desktop app's command line means nothing to a customer.
std::string chooser_site_address() {
#ifdef __EMSCRIPTEN__
  char buf[2048] = "";
  web_page_address(buf, static_cast<int>(sizeof buf));
  return buf;
#else
  const char* s = std::getenv("MAILSCOPE_SITE_URL");
  return s ? s : "";
#endif
}

std::string chooser_moment_link(const std::string& site, const Recommendation& r,
                                 const std::string& lessons_dir) {
  if (site.empty() || r.demo_lesson.empty()) return "";
  std::string query = "lesson=" + r.demo_lesson;
  try {
    // The step from whose end both worlds show the deciding row, as "Show me why" opens it.
    const LessonRun run = run_lesson(load_lesson(find_lesson(r.demo_lesson, lessons_dir)));
    std::optional<TableRow> d;
    if (!r.why.empty()) d = decide_row(r.why.front().row, run);
    const int step = d ? std::max(d->imap.step, d->pop3.step)
                       : run.lesson.decisive_step >= 0 ? run.lesson.decisive_step + 1 : 0;
    if (step > 0) query += "&step=" + std::to_string(step);
  } catch (const std::exception&) {
    // The lesson alone still shows the proof, from its start.
  }
  return site + "?" + query;
}

void draw_chooser(const AppModel& m, UiState& ui) {
  const std::vector<ChooserQuestion>& qs = chooser_questions();
  auto ask = [&](std::size_t i, int& value) {
    return question(qs[i].text, qs[i].answers.data(), static_cast<int>(qs[i].answers.size()), value);
  };
  // One click fills the whole form for an everyday customer; the answers stay editable.
  ImGui::TextUnformatted("A typical customer:");
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;  // screen
  int k = 0;
  for (const ChooserProfile& p : chooser_profiles()) {
    ImGui::PushID(k);
    const ChooserAnswers& a = p.answers;
    const int connection = a.connection == ChooserAnswers::Connection::Always    ? 0
                           : a.connection == ChooserAnswers::Connection::Limited ? 1
                                                                                 : 2;
    // Until the agent picks or answers, the form's defaults are nobody's answers: no profile
    // is shown as chosen.
    const bool chosen = ui.chooser_answered && ui.chooser_devices == a.devices &&
                        ui.chooser_connection == connection &&
                        ui.chooser_offline == a.offline_reading &&
                        ui.chooser_storage_limited == a.server_storage_limited &&
                        ui.chooser_provider == static_cast<int>(a.provider);
    // The chosen one stands out by more than a shade: a check mark, a filled accent colour and
    // a bright border (the same width for every button, so that the row does not reflow).
    const std::string label = std::string(chosen ? ICON_CHECK " " : "") + p.label + "###profile";
    const float w = ImGui::CalcTextSize((ICON_CHECK " " + p.label).c_str()).x +
                    ImGui::GetStyle().FramePadding.x * 2;
    if (k > 0 && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right)
      ImGui::SameLine();
    if (chosen) {
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.50f, 0.30f, 1.0f));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.20f, 0.58f, 0.35f, 1.0f));
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
      ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.55f, 0.95f, 0.65f, 1.0f));
      ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
    }
    if (ImGui::Button(label.c_str(), ImVec2(w, 0))) {
      ui.chooser_devices = a.devices;
      ui.chooser_connection = connection;
      ui.chooser_offline = a.offline_reading;
      ui.chooser_storage_limited = a.server_storage_limited;
      ui.chooser_provider = static_cast<int>(a.provider);
      ui.chooser_answered = true;
    }
    if (chosen) {
      ImGui::PopStyleVar();
      ImGui::PopStyleColor(4);
    }
    if (widgets::recording()) widgets::mark("chooser/profile/" + std::to_string(k));
    audit_last(chosen ? "button-chosen" : "button", "start/chooser/profile:" + std::to_string(k),
               (chosen ? ICON_CHECK " " : "") + p.label);
    ImGui::PopID();
    ++k;
  }
  ImGui::Spacing();
  ImGui::TextDisabled("Or answer the five questions:");
  int devices = ui.chooser_devices - 1;
  bool asked = ask(0, devices);
  ui.chooser_devices = devices + 1;
  asked |= ask(1, ui.chooser_connection);
  int offline = ui.chooser_offline, storage = ui.chooser_storage_limited;
  asked |= ask(2, offline);
  asked |= ask(3, storage);
  ui.chooser_offline = offline != 0;
  ui.chooser_storage_limited = storage != 0;
  asked |= ask(4, ui.chooser_provider);
  if (asked) ui.chooser_answered = true;

  ImGui::Spacing();
  ImGui::Separator();
  if (!ui.chooser_answered) {
    // A recommendation before anything was asked would be the defaults' answer, read out to a
    // customer as if it were theirs.
    tip_text("The recommendation appears once you pick a typical customer or answer a question.",
             true);
    audit_last("text", "start/chooser/waiting", "no recommendation yet");
    return;
  }
  const ChooserAnswers a = chooser_answers_of(ui);
  const Recommendation r = recommend(a);
  const Proto p = r.mail_protocol == "POP3" ? Proto::POP3 : Proto::IMAP;
  if (m.big) ImGui::PushFont(m.big);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(proto_color(p)), "Recommendation: %s%s",
                     r.protocol.c_str(), r.protocol != r.mail_protocol ? " account" : "");
  if (m.big) ImGui::PopFont();
  audit_last("text", "start/chooser/recommendation", r.protocol);
  ImGui::SameLine();
  // The proving lesson on the recommendation's own line: visible without scrolling wherever
  // the recommendation is (presenter-size text pushes the reasons below the fold).
  if (ImGui::SmallButton(ICON_PLAY " Show me why"))
    show_proof(ui, r.demo_lesson, r.why.empty() ? "" : r.why.front().row);
  audit_last("button", "start/chooser/show-why", r.demo_lesson);
  if (ImGui::IsItemHovered()) {
    const CourseLesson* l = m.course.find(r.demo_lesson);
    ImGui::SetTooltip("Opens the lesson \"%s\" at the step that shows the deciding row (%s), "
                      "paused",
                      l ? l->title.c_str() : r.demo_lesson.c_str(),
                      r.why.empty() ? "" : r.why.front().row.c_str());
  }
  // On the same line when it fits whole, else under it (narrow windows, large text).
  const float copy_w = ImGui::CalcTextSize("Copy as text").x + ImGui::GetStyle().FramePadding.x * 2;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + copy_w <=
      ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
    ImGui::SameLine();
  // The button itself says it worked for three seconds, where the agent is looking (the status
  // line says it too, and in the browser says so instead when the page refuses the clipboard).
  // (Kept in the window's state storage: per Dear ImGui context, as its clock is.)
  ImGuiStorage* state = ImGui::GetStateStorage();
  const ImGuiID copied_id = ImGui::GetID("copied-until");
  const bool just_copied = ImGui::GetTime() < state->GetFloat(copied_id, -1.0f);
  if (ImGui::SmallButton(just_copied ? ICON_CHECK " Copied###copy" : "Copy as text###copy")) {
    state->SetFloat(copied_id, static_cast<float>(ImGui::GetTime() + 3.0));
    // Text for the customer (no lesson ids or command line). In the browser the clipboard
    // is the page's (gui/platform/web/web_glue.cpp), which says if it refuses.
    const std::string link = chooser_moment_link(chooser_site_address(), r, m.lessons_dir);
    ImGui::SetClipboardText(format_recommendation_for_customer(r, link).c_str());
    ui.status = std::string("Copied the recommendation, written for the customer") +
                (link.empty() ? "" : ", with the link to the lesson that shows it") +
                ": paste it into your reply";
    ui.status_until = ImGui::GetTime() + 5.0;
  }
  audit_last("button", "start/chooser/copy", just_copied ? ICON_CHECK " Copied" : "Copy as text");
  widgets::mark("chooser/copy");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Copies the recommendation, its reasons and the settings as text for the "
                      "customer");
  // What the provider changes comes before the rows: with Exchange it replaces the answer.
  for (const std::string& n : r.provider_notes) tip_text(n);
  ImGui::TextUnformatted("Why, row by row of the comparison table:");
  k = 0;
  for (const ChooserReason& why : r.why) {
    ImGui::PushID(k++);
    if (ImGui::SmallButton(ICON_PLAY " Show me")) show_proof(ui, why.lesson, why.row);
    audit_last("button", "start/chooser/show-me:" + why.row, why.lesson);
    if (ImGui::IsItemHovered()) {
      const CourseLesson* l = m.course.find(why.lesson);
      ImGui::SetTooltip("Opens the lesson \"%s\" at the step that shows this on the wire, "
                        "paused",
                        l ? l->title.c_str() : why.lesson.c_str());
    }
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.98f, 0.80f, 0.35f, 1.0f), "%s", why.row.c_str());
    ImGui::Indent(ImGui::GetFrameHeight());
    tip_text(why.text);
    ImGui::Unindent(ImGui::GetFrameHeight());
    ImGui::PopID();
  }
  ImGui::Spacing();
  ImGui::TextUnformatted("Settings to use in the customer's mail app:");
  for (const std::string& s : r.settings) {
    ImGui::Bullet();
    ImGui::SameLine();
    tip_text(s);
  }
}

}  // namespace ms
