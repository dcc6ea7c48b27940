// File -> Export: the lesson's run as an HTML handout, a pcap for Wireshark, the sequence
// diagram as SVG or Mermaid, the wire transcript, and a screenshot. Every path is editable and
// shown in full; the default folder is ~/Documents/Mailscope (or the start directory), and
// the message after writing names the full path. The files are made by the same functions as
// `mailscope-cli export`.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "export/handout.hpp"
#include "export/pcap.hpp"
#include "export/sequence.hpp"
#include "lesson/report.hpp"
#include "lesson/table.hpp"
#include "panels/course_ui.hpp"
#include "panels/panels.hpp"
#include "harness/widget_rects.hpp"

namespace ms {

namespace {

// The last two are the learner's results (every lesson, not this one): File -> Export results.
enum Kind { Handout, Pcap, Svg, Mermaid, Transcript, Screenshot, ResultsJson, ResultsCsv, kKinds };
const char* kLabels[kKinds] = {"HTML handout", "pcap (Wireshark)", "Sequence diagram (SVG)",
                               "Sequence diagram (Mermaid)", "Transcript", "Screenshot (PNG)",
                               "Your results (JSON)", "Your results (CSV)"};
const char* kExt[kKinds] = {".html", ".pcap", ".svg", ".mmd", ".txt", ".png", ".json", ".csv"};

struct ExportForm {
  std::string lesson;  // what the paths were made for
  char folder[512] = "";
  char path[kKinds][512] = {};
  std::string message;
  bool failed = false;
  // The handout's transcript appendix: off, as in mailscope-cli (a long lesson's transcript
  // prints to hundreds of pages; the Transcript row below writes it as a file).
  bool appendix = false;
};

void fill_paths(ExportForm& f, const std::string& lesson) {
  for (int k = 0; k < kKinds; ++k) {
    const std::string name = k >= ResultsJson ? std::string("mailscope-results") : lesson;
    std::snprintf(f.path[k], sizeof f.path[k], "%s/%s%s", f.folder, name.c_str(), kExt[k]);
  }
  f.lesson = lesson;
}

// Writes export `k` of the run; returns the full path written, or "" with *error.
std::string write_one(const AppModel& m, const UiState& ui, int k, const std::string& path,
                      bool appendix, std::string* error) {
  const LessonRun& run = m.run;
  std::vector<const World*> worlds;
  std::vector<DiagramWorld> diagram;
  for (const WorldRun& wr : run.worlds) {
    worlds.push_back(wr.world.get());
    diagram.push_back({wr.world.get(), wr.world->label() + " world: " + run.lesson.title});
  }
  switch (k) {
    case Handout: return write_export(path, lesson_handout_html(run, decide_rows(run), {.transcript = appendix}),
                                         error);
    case Svg:
      return write_export(path, sequence_svg(diagram, "Sequence diagram: " + run.lesson.title),
                          error);
    case Mermaid: return write_export(path, sequence_mermaid(diagram, run.lesson.title), error);
    case Transcript: return write_export(path, format_transcript(run), error);
    case ResultsJson: return write_export(path, results_to_json(ui.results), error);
    case ResultsCsv: return write_export(path, results_csv(ui.results), error);
    case Pcap: {
      // The directory first (write_export makes it), then the capture itself.
      const std::string full = write_export(path, "", error);
      if (full.empty()) return "";
      const std::string e = write_pcap(pcap_frames(worlds), full);
      if (!e.empty()) {
        *error = e;
        return "";
      }
      return full;
    }
    default: return "";
  }
}

}  // namespace

void draw_export(const AppModel& m, UiState& ui) {
  static ExportForm f;
  // (After a few frames, as the sandbox menus: windows appearing first would close it.)
  if (ui.open_dialog == "export" && ImGui::GetFrameCount() > 3) {
    ui.export_open = true;
    ui.open_dialog.clear();
  }
  if (ui.export_open) {
    ImGui::OpenPopup("Export");
    ui.export_open = false;
    f.message.clear();
  }
  if (f.folder[0] == '\0') std::snprintf(f.folder, sizeof f.folder, "%s", ui.export_dir.c_str());
  if (f.lesson != m.run.lesson.id) fill_paths(f, m.run.lesson.id);
  center_next_dialog(52);
  // Opaque: the style's popup background lets the lesson's text show through the dialog's.
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::BeginPopupModal("Export", nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::Text("Lesson \"%s\" as run (with your sandbox changes, if any).", m.run.lesson.title.c_str());
  ImGui::TextUnformatted("Folder");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##folder", f.folder, sizeof f.folder)) {
    ui.export_dir = f.folder;
    fill_paths(f, m.run.lesson.id);
  }
  ImGui::Separator();
  if (ImGui::BeginTable("exports", 3, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("path", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("write", ImGuiTableColumnFlags_WidthFixed);
    for (int k = 0; k < kKinds; ++k) {
      ImGui::PushID(k);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(kLabels[k]);
      ImGui::TableSetColumnIndex(1);
      ImGui::SetNextItemWidth(-1);
      ImGui::InputText("##path", f.path[k], sizeof f.path[k]);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.path[k]);
      ImGui::TableSetColumnIndex(2);
      const bool write = ImGui::Button("Write");
      if (widgets::recording()) widgets::mark(std::string("export/write/") + (kExt[k] + 1));
      if (write) {
        std::string error;
        if (k == Screenshot) {
          // main reads the frame back after the dialog has closed.
          const std::string full = write_export(f.path[k], "", &error);
          if (!full.empty()) {
            ui.shot_path = full;
            ui.save_shot_in = 2;
            ImGui::CloseCurrentPopup();
          }
        } else {
          const std::string full = write_one(m, ui, k, f.path[k], f.appendix, &error);
          if (!full.empty()) {
            std::error_code ec;
            const std::string size = format_bytes(std::filesystem::file_size(full, ec));
#ifdef __EMSCRIPTEN__
            // The page hands the file to the browser (gui/platform/web/web_glue.cpp): the
            // folder above is the page's own, not one the user can open.
            f.message = "Downloaded " + std::filesystem::path(full).filename().string() + " (" +
                        size + "): look in your browser's downloads";
#else
            f.message = "Wrote " + full + " (" + size + ")";
#endif
          }
        }
        f.failed = !error.empty();
        if (f.failed) f.message = "Could not write: " + error;
        ui.status = f.message;
        ui.status_until = ImGui::GetTime() + 8.0;
      }
      if (k == Screenshot) {
        // The results cover every lesson, under the learner's name (optional).
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Learner name");
        ImGui::TableSetColumnIndex(1);
        char name[96];
        std::snprintf(name, sizeof name, "%s", ui.results.learner.c_str());
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputTextWithHint("##learner", "optional", name, sizeof name))
          ui.results.learner = name, ui.results_dirty = true;
      }
      if (k == Handout) {
        // The option under its row: it changes what this row's Write writes.
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(1);
        ImGui::Checkbox("with the transcript as an appendix (every line: many pages)", &f.appendix);
        if (widgets::recording()) widgets::mark("export/appendix");
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (!f.message.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    if (f.failed) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", f.message.c_str());
    else ImGui::TextColored(ImVec4(0.45f, 0.85f, 0.5f, 1.0f), "%s", f.message.c_str());
    ImGui::PopTextWrapPos();
  }
  const bool close = ImGui::Button("Close");
  widgets::mark("export/close");
  if (close || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace ms
