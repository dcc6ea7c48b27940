// Exports of a lesson run: the pcap read back by tshark, the sequence diagrams, the HTML
// handout and the transcript, through the library and through mailscope-cli.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "export/handout.hpp"
#include "export/pcap.hpp"
#include "export/sequence.hpp"
#include "export/worlds_svg.hpp"
#include "lesson/table.hpp"
#include "lesson/report.hpp"
#include "run_cli.hpp"

namespace {
const std::string kLessons = std::string(MAILSCOPE_SOURCE_DIR) + "/lessons";

std::string tmp(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "mailscope-export-test";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}
std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
bool have(const char* tool) {
  return ms_test::run_shell(std::string("command -v ") + tool + " >/dev/null 2>&1").code == 0;
}
// A check that needs a tool this machine lacks is skipped, never passed: CTest reports the
// test as skipped when it prints this line (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt).
bool skip_without(const char* tool) {
  if (have(tool)) return false;
  std::printf("SKIPPED: %s is not installed (scripts/deps.sh test installs it)\n", tool);
  return true;
}
// tshark's output lines joined by spaces (its "running as root" notes go to stderr).
std::string tshark(const std::string& pcap, const std::string& args) {
  auto r = ms_test::run_shell("tshark -r " + pcap + " " + args + " 2>/dev/null");
  std::string out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out += (out.empty() ? "" : " ") + line;
  return out;
}
std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != s.npos; p = s.find(what, p + 1)) ++n;
  return n;
}
std::size_t wire_records(const ms::World& w) {
  std::size_t n = 0;
  for (const auto& r : w.trace().records()) n += r.kind == ms::RecKind::Wire;
  return n;
}

std::uint32_t get32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) |
         (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint8_t(s[at + 3]);
}
std::uint16_t get16(const std::string& s, std::size_t at) {
  return static_cast<std::uint16_t>((std::uint8_t(s[at]) << 8) | std::uint8_t(s[at + 1]));
}
}  // namespace

SCENARIO(
    "pcap frames are well-formed TCP/IP: checksums verify, segments are contiguous and "
    "no larger than 1460 octets, and ACKs never run ahead of the data",
    "[export]") {
  GIVEN("the mail-storage lesson with a first message of about 6000 octets") {
    ms::Lesson L = ms::load_lesson(kLessons + "/mail-storage.json");
    std::string text;
    for (int i = 0; i < 400; ++i) text += "A long letter. ";
    L.script[0].text = text;
    ms::LessonRun run = ms::run_lesson(L);
    std::vector<const ms::World*> worlds;
    for (const auto& wr : run.worlds) worlds.push_back(wr.world.get());
    auto frames = ms::pcap_frames(worlds);
    REQUIRE(frames.size() > 100);

    struct Side {
      std::uint32_t next = 0;
      bool syn = false;
    };
    std::map<std::string, Side> sides;  // "src:port>dst:port"
    bool big_split = false;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const std::string& f = frames[i].bytes;
      if (i) CHECK(frames[i - 1].t <= frames[i].t);
      REQUIRE(f.size() >= 14 + 20 + 20);
      REQUIRE(get16(f, 12) == 0x0800);
      std::string ip = f.substr(14, 20);
      CHECK(ms::inet_checksum(ip) == 0);
      std::size_t ip_len = get16(ip, 2);
      REQUIRE(ip_len == f.size() - 14);
      std::string tcp = f.substr(34);
      std::uint32_t pseudo = (get32(ip, 12) >> 16) + (get32(ip, 12) & 0xffff) +
                             (get32(ip, 16) >> 16) + (get32(ip, 16) & 0xffff) + 6 +
                             static_cast<std::uint32_t>(tcp.size());
      CHECK(ms::inet_checksum(tcp, pseudo) == 0);
      std::size_t hl = (std::uint8_t(tcp[12]) >> 4) * 4;
      std::uint8_t flags = static_cast<std::uint8_t>(tcp[13]);
      std::size_t len = tcp.size() - hl;
      CHECK(len <= 1460);
      if (len == 1460) big_split = true;
      std::string key = std::to_string(get32(ip, 12)) + ":" + std::to_string(get16(tcp, 0)) + ">" +
                        std::to_string(get32(ip, 16)) + ":" + std::to_string(get16(tcp, 2));
      std::string back = std::to_string(get32(ip, 16)) + ":" + std::to_string(get16(tcp, 2)) + ">" +
                         std::to_string(get32(ip, 12)) + ":" + std::to_string(get16(tcp, 0));
      Side& s = sides[key];
      std::uint32_t seq = get32(tcp, 4);
      if (flags & 0x02) {
        CHECK_FALSE(s.syn);
        s.syn = true;
        s.next = seq + 1;
      } else {
        REQUIRE(s.syn);
        CHECK(seq == s.next);  // no gap, no overlap
        s.next = seq + static_cast<std::uint32_t>(len) + ((flags & 0x01) ? 1 : 0);
      }
      if (flags & 0x10) {
        const Side& peer = sides[back];
        REQUIRE(peer.syn);
        bool acks_only_sent_data = peer.next - get32(tcp, 8) < 0x80000000u;
        CHECK(acks_only_sent_data);
      }
    }
    CHECK(big_split);
  }
}

SCENARIO(
    "tshark reads the exported pcap as POP3, IMAP and SMTP on the standard ports, "
    "with no TCP analysis warnings",
    "[export][process]") {
  if (skip_without("tshark")) return;
  std::string storage = tmp("mail-storage.pcap"), sent = tmp("sent-mail.pcap");
  REQUIRE(ms_test::run_cli("export mail-storage --pcap " + storage).code == 0);
  REQUIRE(ms_test::run_cli("export sent-mail --pcap " + sent).code == 0);

  CHECK(tshark(storage, "-Y tcp.analysis.flags") == "");
  CHECK(tshark(sent, "-Y tcp.analysis.flags") == "");
  CHECK(tshark(storage,
               "-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE "
               "-Y 'tcp.checksum.status!=1 || ip.checksum.status!=1'") == "");

  // The POP3 phone (10.0.1.10) downloads and deletes each message, as the transcript shows.
  CHECK(tshark(storage,
               "-Y 'pop.request.command && tcp.dstport==110' -T fields -e ip.src "
               "-e pop.request.command") ==
        "10.0.1.10\tCAPA 10.0.1.10\tUSER 10.0.1.10\tPASS 10.0.1.10\tSTAT 10.0.1.10\tUIDL "
        "10.0.1.10\tRETR 10.0.1.10\tDELE 10.0.1.10\tRETR 10.0.1.10\tDELE 10.0.1.10\tRETR "
        "10.0.1.10\tDELE 10.0.1.10\tQUIT");
  std::string imap = tshark(storage,
                            "-Y 'imap.request.command && tcp.dstport==143' -T fields "
                            "-e ip.src -e imap.request.command");
  CHECK_THAT(imap, Catch::StartsWith("10.0.2.10\tLOGIN 10.0.2.10\tENABLE 10.0.2.10\tSELECT"));
  CHECK_THAT(imap, Catch::Contains("10.0.2.10\tFETCH"));
  CHECK_THAT(imap, Catch::EndsWith("10.0.2.10\tLOGOUT"));
  // Mail from outside arrives by relay on port 25 (one outside server per world).
  CHECK(tshark(storage,
               "-Y 'smtp.req.command && tcp.dstport==25 && ip.src==192.0.2.1' -T fields "
               "-e smtp.req.command") ==
        "EHLO MAIL RCPT DATA QUIT EHLO MAIL RCPT DATA QUIT EHLO MAIL RCPT DATA QUIT");
  // The phone submits on port 587 in both worlds.
  for (const char* ip : {"10.0.1.10", "10.0.2.10"})
    CHECK(tshark(sent, std::string("-Y 'smtp.req.command && tcp.dstport==587 && ip.src==") + ip +
                           "' -T fields -e smtp.req.command") == "EHLO AUTH MAIL RCPT DATA QUIT");
  // The IMAP phone saves its sent message on the server.
  CHECK_THAT(tshark(sent,
                    "-Y 'imap.request.command && ip.src==10.0.2.10' -T fields "
                    "-e imap.request.command"),
             Catch::Contains("APPEND"));
  // Handshake and teardown frame every connection.
  std::string syns =
      tshark(storage, "-Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e tcp.stream");
  std::string fins = tshark(storage, "-Y 'tcp.flags.fin==1' -T fields -e tcp.stream");
  CHECK(count(" " + syns + " ", " ") - 1 > 0);
  CHECK(2 * (count(" " + syns + " ", " ") - 1) == count(" " + fins + " ", " ") - 1);
}

SCENARIO("--world imap exports only the IMAP world", "[export][process]") {
  std::string pcap = tmp("imap-only.pcap"), txt = tmp("imap-only.txt");
  auto r =
      ms_test::run_cli("export mail-storage --world imap --pcap " + pcap + " --transcript " + txt);
  REQUIRE(r.code == 0);
  std::string t = slurp(txt);
  CHECK_THAT(t, Catch::StartsWith("=== IMAP world: Where does my mail live? ==="));
  CHECK_THAT(t, !Catch::Contains("POP3 world"));
}

SCENARIO("tshark finds only IMAP world packets in the pcap of --world imap", "[export][process]") {
  if (skip_without("tshark")) return;
  std::string pcap = tmp("imap-only-tshark.pcap");
  REQUIRE(ms_test::run_cli("export mail-storage --world imap --pcap " + pcap).code == 0);
  CHECK(tshark(pcap, "-Y 'ip.src==10.0.1.10 || ip.dst==10.0.1.10 || ip.src==192.0.2.1'") == "");
  CHECK(tshark(pcap, "-Y 'ip.src==10.0.2.10'") != "");
}

SCENARIO("the transcript export is exactly what mailscope-cli run prints", "[export][process]") {
  std::string txt = tmp("transcript.txt");
  REQUIRE(ms_test::run_cli("export deleted-mail --transcript " + txt).code == 0);
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/deleted-mail.json"));
  CHECK(slurp(txt) == ms::format_transcript(run));
  auto printed = ms_test::run_cli("run deleted-mail", false);
  CHECK_THAT(printed.out, Catch::StartsWith(slurp(txt)));
}

SCENARIO("the sequence diagram has a lifeline per actor and an arrow per command or response",
         "[export]") {
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/disaster-recovery.json"));
  std::vector<ms::DiagramWorld> dws;
  std::size_t wires = 0;
  for (const auto& wr : run.worlds) {
    dws.push_back({wr.world.get(), wr.world->label() + " world"});
    wires += wire_records(*wr.world);
  }
  std::string svg = ms::sequence_svg(dws, "Sequence diagram: disaster recovery");
  CHECK_THAT(svg, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
  CHECK_THAT(
      svg, Catch::Contains("<title id=\"seq-title\">Sequence diagram: disaster recovery</title>"));
  CHECK(count(svg, "class=\"msg\"") == wires);
  for (const char* actor : {"laptop", "tablet", "server", "internet"})
    CHECK(count(svg, std::string("font-size=\"14\">") + actor + "</text>") == 2);  // per world
  CHECK_THAT(svg, Catch::Contains("&lt;alice@mail.example.com&gt;"));

  std::string mmd = ms::sequence_mermaid(dws, "disaster recovery");
  CHECK_THAT(mmd, Catch::StartsWith("sequenceDiagram\n  title disaster recovery\n  box POP3 world\n"
                                    "  participant pop3_internet as internet (POP3)\n"));
  CHECK(count(mmd, "->>") == wires);
  CHECK(count(mmd, "-->>") == count(svg, "stroke-dasharray=\"6 3\""));
  CHECK_THAT(mmd, Catch::Contains("RCPT TO:#lt;alice@mail.example.com#gt;"));
  CHECK_THAT(mmd, Catch::Contains("  imap_tablet->>imap_server: "));
}

SCENARIO("mailscope-cli writes an SVG that is well-formed XML and a Mermaid file",
         "[export][process]") {
  if (skip_without("python3")) return;
  std::string svg = tmp("seq.svg"), mmd = tmp("seq.mmd");
  REQUIRE(ms_test::run_cli("export offline-access --sequence " + svg + " --mermaid " + mmd).code ==
          0);
  CHECK(ms_test::run_shell("python3 -c \"import xml.dom.minidom,sys; "
                           "xml.dom.minidom.parse(sys.argv[1])\" " +
                           svg + " 2>&1")
            .code == 0);
  std::string s = slurp(svg);
  for (const char* actor : {"phone", "tablet", "server", "internet"})
    CHECK_THAT(s, Catch::Contains(std::string(">") + actor + "</text>"));
  CHECK_THAT(slurp(mmd), Catch::StartsWith("sequenceDiagram\n"));
}

SCENARIO("an arrow's label is the first line of the unit, escaped and cut", "[export]") {
  CHECK(ms::arrow_label("USER alice\r\n") == "USER alice");
  CHECK(ms::arrow_label("+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n") ==
        "+OK 2 messages (+3 lines)");
  CHECK(ms::arrow_label("A\x01"
                        "B\r\n") == "A\\x01B");
  std::string longer(100, 'x');
  CHECK(ms::arrow_label(longer) == std::string(41, 'x') + "...");
}

SCENARIO(
    "the HTML handout holds the title, steps, the computed table row, the diagram and, "
    "with --transcript-appendix, the transcript",
    "[export][process]") {
  std::string html = tmp("handout.html");
  REQUIRE(ms_test::run_cli("export mail-storage --html " + html + " --transcript-appendix").code == 0);
  std::string h = slurp(html);
  CHECK_THAT(h, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK_THAT(h, Catch::Contains("<h1>Where does my mail live?</h1>"));
  CHECK_THAT(h, Catch::Contains("<h3>The phone checks for mail</h3>"));
  CHECK_THAT(h, Catch::Contains("&#10003; Checked [IMAP]: the phone shows three messages that "
                                "reside on the server"));
  CHECK_THAT(h, Catch::Contains("<table>"));
  CHECK_THAT(h, Catch::Contains("<th scope=\"row\">mail storage</th><td>resides on the server"));
  CHECK_THAT(h, Catch::Contains("<td>resides on the computer"));
  CHECK_THAT(h, Catch::Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
  CHECK_THAT(h, Catch::Contains("<desc>POP3 world: "));
  CHECK_THAT(h, Catch::Contains("<h2 id=\"transcript\">Appendix: transcript</h2>"));
  CHECK_THAT(h, Catch::Contains("<pre>"));
  CHECK_THAT(h, Catch::Contains("00:00:10.880  phone -&gt; server  POP3  C: RETR 1\n"));
  CHECK_THAT(h, Catch::EndsWith("</html>\n"));
}

namespace {
// Where the page is too narrow for its content, as headless Chromium lays it out at `width` CSS
// pixels (the printable width of a page): every element whose box leaves the page, every
// inline SVG whose own width is wider than the page (CSS would shrink its text), and the
// document's scroll width. Empty when everything fits; "not run" when Chromium did not load it.
std::string overflow_at(const std::string& html_file, int width) {
  std::string page = slurp(html_file);
  const std::string probe = R"(<script>
const W = document.documentElement.clientWidth, bad = [];
if (document.documentElement.scrollWidth > W) bad.push('scroll:' + document.documentElement.scrollWidth);
for (const s of document.querySelectorAll('svg'))
  if (s.width.baseVal.value > W + 0.5) bad.push('svg-own-width:' + s.width.baseVal.value);
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && (r.right > W + 0.5 || r.left < -0.5))
    bad.push(e.tagName.toLowerCase() + ':' + Math.round(r.left) + '-' + Math.round(r.right));
}
document.body.setAttribute('data-overflow', bad.slice(0, 8).join(' ') || 'none');
</script>)";
  page.insert(page.rfind("</body>"), probe);
  const std::string probed = html_file + ".probe.html";
  std::ofstream(probed) << page;
  auto r = ms_test::run_shell("chromium --headless=new --no-sandbox --disable-gpu "
                              "--hide-scrollbars --window-size=" + std::to_string(width) +
                              ",1000 --dump-dom file://" + probed + " 2>/dev/null");
  auto at = r.out.find("data-overflow=\"");
  if (at == std::string::npos) return "not run";
  at += 15;
  std::string found = r.out.substr(at, r.out.find('"', at) - at);
  return found == "none" ? "" : found;
}
// Prints the page to PDF on the given paper (an @page size added to its CSS) and returns the
// PDF's bytes.
std::string print_pdf(const std::string& html_file, const std::string& paper) {
  std::string page = slurp(html_file);
  page.insert(page.find("</style>"), "@page{size:" + paper + "}");
  const std::string sized = html_file + "." + paper + ".html", pdf = html_file + "." + paper + ".pdf";
  std::ofstream(sized) << page;
  std::filesystem::remove(pdf);
  ms_test::run_shell("chromium --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer "
                     "--print-to-pdf=" + pdf + " file://" + sized + " >/dev/null 2>&1");
  return slurp(pdf);
}
}  // namespace

SCENARIO("the handout fits the printed page: Chromium prints it on A4 and Letter and no element "
         "is wider than the page", "[export][chromium][process]") {
  if (skip_without("chromium")) return;
  // Every lesson's handout at A4's printable width (A4 less 12 mm margins is about 703 CSS px;
  // Letter's, about 725, is wider).
  for (const auto& f : ms::lesson_files(kLessons)) {
    INFO(f);
    std::string page = tmp(std::filesystem::path(f).stem().string() + "-handout.html");
    REQUIRE(ms_test::run_cli("export " + f + " --html " + page).code == 0);
    CHECK(overflow_at(page, 703) == "");
  }
  // Quick-resync has the most lifelines (three devices) and the longest IMAP lines.
  std::string html = tmp("handout-print.html");
  REQUIRE(ms_test::run_cli("export quick-resync --html " + html).code == 0);
  CHECK(overflow_at(html, 725) == "");
  std::string a4 = print_pdf(html, "A4"), letter = print_pdf(html, "letter");
  CHECK_THAT(a4, Catch::StartsWith("%PDF-"));
  CHECK_THAT(a4, Catch::Contains("/MediaBox [0 0 594.95996 841.91998]"));
  CHECK_THAT(letter, Catch::Contains("/MediaBox [0 0 612 792]"));

  AND_WHEN("the diagram is not laid out to the page, the same check finds it") {
    // The diagram as the standalone export draws it (one 300 px column per lifeline), on a
    // page without the handout's CSS: the check must see it run off the page.
    ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/quick-resync.json"));
    std::vector<ms::DiagramWorld> dws;
    for (const auto& wr : run.worlds) dws.push_back({wr.world.get(), wr.world->label()});
    std::string wide = tmp("wide.html");
    std::ofstream(wide) << "<!DOCTYPE html><html><body>" + ms::sequence_svg(dws, "wide", true) +
                               "</body></html>\n";
    std::string found = overflow_at(wide, 703);
    CHECK_THAT(found, Catch::Contains("svg-own-width:1610"));
    CHECK_THAT(found, Catch::Contains("scroll:"));
  }
}

namespace {
// The text of a PDF as pdftotext reads it, with every run of white space one space (lines
// wrap where the page wants).
std::string pdf_text(const std::string& pdf) {
  const std::string raw = ms_test::run_shell("pdftotext -layout " + pdf + " - 2>/dev/null").out;
  std::string out;
  for (char c : raw) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}
}  // namespace

SCENARIO("the printed handout has its quiz answers open, on screen they wait behind a click",
         "[export][chromium][process]") {
  if (skip_without("chromium") || skip_without("pdftotext")) return;
  std::string html = tmp("handout-quiz.html");
  REQUIRE(ms_test::run_cli("export mail-storage --html " + html).code == 0);
  const ms::Lesson lesson = ms::load_lesson(kLessons + "/mail-storage.json");
  REQUIRE(!lesson.quiz.empty());
  CHECK_THAT(slurp(html), Catch::Contains("<details><summary>Answer</summary>"));
  print_pdf(html, "letter");
  const std::string text = pdf_text(html + ".letter.pdf");
  REQUIRE_THAT(text, Catch::Contains(lesson.quiz.front().question.substr(0, 40)));
  // Every question's explanation and its first choice's feedback are on paper.
  for (const auto& q : lesson.quiz) {
    CHECK_THAT(text, Catch::Contains(q.explain.substr(0, 40)));
    if (!q.feedback.empty()) CHECK_THAT(text, Catch::Contains(q.feedback.front().substr(0, 40)));
  }
}

SCENARIO("the printed handout draws the worlds light, with text of at least 8 pt",
         "[export][chromium][process]") {
  if (skip_without("chromium") || skip_without("pdftoppm") || skip_without("convert")) return;
  std::string html = tmp("handout-light.html");
  REQUIRE(ms_test::run_cli("export mail-storage --html " + html).code == 0);
  const std::string h = slurp(html);
  // The worlds figure is printed at its own width (700 px, narrower than A4's and Letter's
  // printable width), so 8 pt is 10.7 px of the SVG.
  const auto fig = h.find("<figure class=\"worlds\">");
  REQUIRE(fig != std::string::npos);
  const std::string svg = h.substr(fig, h.find("</svg>", fig) - fig);
  CHECK_THAT(svg, Catch::Contains("width=\"700.0\""));
  float smallest = 1000;
  for (auto at = svg.find("font-size=\""); at != std::string::npos;
       at = svg.find("font-size=\"", at + 1))
    smallest = std::min(smallest, std::stof(svg.substr(at + 11)));
  CHECK(smallest * 0.75f >= 8.0f);
  // Page 1, where the figure is, has almost no dark ink: the app's dark palette is for screens.
  print_pdf(html, "letter");
  const std::string png = html + ".page1";
  ms_test::run_shell("pdftoppm -r 50 -f 1 -l 1 -singlefile -gray " + html + ".letter.pdf " + png);
  const std::string dark = ms_test::run_shell("convert " + png + ".pgm -threshold 40% -format "
                                              "'%[fx:1-mean]' info: 2>/dev/null").out;
  REQUIRE(!dark.empty());
  CHECK(std::stof(dark) < 0.05f);
}

SCENARIO("the handout opens with the takeaway and draws the worlds at the decisive step",
         "[export]") {
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/push-vs-polling.json"));
  std::string h = ms::lesson_handout_html(run, ms::decide_rows(run));
  const auto takeaway = h.find("<p class=\"takeaway\"><strong>Takeaway:</strong> IMAP IDLE "
                               "delivers new mail in seconds");
  REQUIRE(takeaway != std::string::npos);
  CHECK(takeaway < h.find("<h2"));
  // push-vs-polling names step 3 (1m5s) as decisive: the pushed message on the IMAP phone, the
  // POP3 one still waiting.
  CHECK_THAT(h, Catch::Contains("<h2 id=\"worlds\">The two worlds at step 3: Pushed, or waiting</h2>"));
  CHECK_THAT(h, Catch::Contains("<title>New mail: pushed at once, or found at the next check? at "
                                "00:01:05.000</title>"));
  // Each step lists the checks decided at it.
  const auto step3 = h.find("<h3>Pushed, or waiting</h3>");
  const auto step4 = h.find("<h3>The POP3 phone's next poll</h3>");
  const auto check = h.find("POP3 polling: the phone does not have it yet");
  CHECK((step3 < check && check < step4));
  CHECK_THAT(h, Catch::Contains("This lesson shows no row of the comparison table"));
  // The sequence diagram is laid out no wider than the page.
  const std::string head = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"";
  const auto seq = h.find(head);
  REQUIRE(seq != std::string::npos);
  CHECK(std::stoi(h.substr(seq + head.size(), 5)) <= 700);
}

namespace {
// The width and height of the outline of the first device icon of `kind` in an SVG.
std::pair<float, float> icon_outline(const std::string& svg, const std::string& kind) {
  const auto g = svg.find("<g class=\"icon-" + kind + "\"");
  if (g == std::string::npos) return {0, 0};
  const auto w = svg.find(" width=\"", g), h = svg.find(" height=\"", g);
  return {std::stof(svg.substr(w + 8)), std::stof(svg.substr(h + 9))};
}
}  // namespace

SCENARIO("the worlds picture draws a phone, a desktop and a laptop as different icons",
         "[export]") {
  // deleted-mail: a desktop and a phone, and a laptop added at 62 s.
  ms::LessonRun run = ms::run_lesson(ms::load_lesson(kLessons + "/deleted-mail.json"));
  const std::string svg = ms::worlds_svg(run, run.lesson.duration);
  const auto phone = icon_outline(svg, "phone"), desktop = icon_outline(svg, "desktop"),
             laptop = icon_outline(svg, "laptop");
  REQUIRE(phone.first > 0);
  REQUIRE(desktop.first > 0);
  REQUIRE(laptop.first > 0);
  CHECK(phone.second > phone.first);      // upright
  CHECK(desktop.first > desktop.second);  // a wide screen on a stand
  CHECK(laptop.first > laptop.second);
  CHECK(desktop.first > laptop.first);
  // The one glyph every device used to share is gone; the server keeps its own.
  CHECK(svg.find(">\xe2\x96\xad<") == std::string::npos);
  CHECK(svg.find(">\xe2\x96\xa4<") != std::string::npos);
}

SCENARIO("mailscope-cli export rejects bad arguments", "[export][process]") {
  auto none = ms_test::run_cli("export mail-storage");
  CHECK(none.code == 2);
  CHECK_THAT(none.out, Catch::Contains("export needs at least one of --transcript"));
  CHECK(ms_test::run_cli("export --pcap /tmp/x.pcap").code == 2);
  CHECK(ms_test::run_cli("export mail-storage --pcap").code == 2);
  auto world = ms_test::run_cli("export mail-storage --world smtp --pcap /tmp/x.pcap");
  CHECK(world.code == 2);
  CHECK_THAT(world.out, Catch::Contains("--world takes pop3 or imap, not 'smtp'"));
  CHECK(ms_test::run_cli("export mail-storage --frob x").code == 2);
  CHECK(ms_test::run_cli("export /nonexistent.json --pcap /tmp/x.pcap").code == 1);
  CHECK(ms_test::run_cli("export mail-storage --pcap /nonexistent-dir/x.pcap").code == 1);
  CHECK(ms_test::run_cli("export --help").code == 0);
}
