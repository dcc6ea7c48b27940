// Commands valid in any state: RFC 3501 section 6.1 (CAPABILITY, NOOP, LOGOUT), RFC 2971 (ID),
// and RFC 5161 (ENABLE, authenticated states only).
#include <algorithm>
#include <cctype>
#include <string_view>

#include "proto/imap/imap_server.hpp"
#include "util/datadirs.hpp"

namespace ms {

// RFC 3501 section 6.1.1
void ImapServer::cmd_capability(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "CAPABILITY takes no arguments");
  out("* CAPABILITY " + session_capabilities() + "\r\n");
  tagged(c.tag, "OK", "CAPABILITY completed");
}

// RFC 3501 section 6.1.2: also the client's way to poll for other sessions' changes.
void ImapServer::cmd_noop(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "NOOP takes no arguments");
  report_changes(true);
  tagged(c.tag, "OK", "NOOP completed");
}

// RFC 3501 section 6.1.3
void ImapServer::cmd_logout(const imap::Command& c) {
  if (!c.args.empty()) return tagged(c.tag, "BAD", "LOGOUT takes no arguments");
  out("* BYE " + server_.settings.hostname + " IMAP4rev1 server logging out\r\n");
  tagged(c.tag, "OK", "LOGOUT completed");
  watch(nullptr);
  set_state(State::Logout, "");
  close();
}

// RFC 2971 section 3.1: "ID (field value ...)" or "ID NIL"; the client's fields are noted.
void ImapServer::cmd_id(const imap::Command& c) {
  if (c.args.size() != 1 || (!c.args[0].is_list() && c.args[0].kind != imap::Token::Kind::Nil))
    return tagged(c.tag, "BAD", "ID needs a parameter list or NIL");
  const auto& items = c.args[0].items;
  if (items.size() % 2 != 0 || items.size() > 60)
    return tagged(c.tag, "BAD", "ID parameter list must hold field/value pairs");
  std::string client;
  EngineEvent id;
  id.kind = EngineEvent::ClientIdentified;
  // Field names are case-insensitive in practice ("name", "Name"); section 3.3 lists them in
  // lower case.
  auto is = [](const std::string& field, std::string_view key) {
    return field.size() == key.size() &&
           std::equal(key.begin(), key.end(), field.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  };
  for (std::size_t i = 0; i < items.size(); i += 2) {
    if (!items[i].is_string() ||
        !(items[i + 1].is_string() || items[i + 1].kind == imap::Token::Kind::Nil))
      return tagged(c.tag, "BAD", "ID fields are strings, values strings or NIL");
    if (!items[i + 1].is_string()) continue;
    client += (client.empty() ? "" : ", ") + items[i].text + "=" + items[i + 1].text;
    if (is(items[i].text, "name") && id.id.empty()) id.id = items[i + 1].text;
    if (is(items[i].text, "version") && id.data.empty()) id.data = items[i + 1].text;
  }
  if (!client.empty()) {
    id.text = "client ID: " + client;
    event(std::move(id));
  }
  out(std::string("* ID (\"name\" \"Mailscope\" \"version\" \"") + version() + "\")\r\n");
  tagged(c.tag, "OK", "ID completed");
}

// RFC 5161 section 3.1: ENABLE turns on CONDSTORE and QRESYNC (RFC 7162 sections 3.1 and
// 3.2.3; QRESYNC implies CONDSTORE). The ENABLED response lists only what this command newly
// enabled; names the server does not know are ignored, as RFC 5161 section 3.1 requires.
void ImapServer::cmd_enable(const imap::Command& c) {
  if (c.args.empty()) return tagged(c.tag, "BAD", "ENABLE needs at least one capability");
  for (const auto& a : c.args)
    if (!a.is_atom()) return tagged(c.tag, "BAD", "ENABLE takes capability names");
  std::string enabled;
  for (const auto& a : c.args) {
    std::string cap = a.upper();
    if (cap == "CONDSTORE" && !condstore_) {
      enable_condstore();
      enabled += " CONDSTORE";
    } else if (cap == "QRESYNC" && !qresync_) {
      enable_condstore();
      qresync_ = true;
      enabled += " QRESYNC";
    }
  }
  out("* ENABLED" + enabled + "\r\n");
  tagged(c.tag, "OK", "ENABLE completed");
}

}  // namespace ms
