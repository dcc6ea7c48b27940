#pragma once
// The glossary behind the hover tips: protocol terms (UIDL, IDLE, \Seen, [IN-USE], C:/S: ...)
// and their plain-words meaning, kept in ONE file, assets/glossary.json, which the web build
// and the packages ship too. Loading and lookup have no ImGui (tested headless);
// glossary_tip() draws the tooltip for a hovered item.
#include <string>
#include <vector>

namespace ms {

struct GlossaryTerm {
  std::string term;               // as shown: "UIDL", "\\Seen", "[IN-USE]", "C:"
  std::vector<std::string> aka;   // other spellings that mean it ("MODSEQ")
  bool match_case = true;         // protocol keywords match case; plain words do not
  std::string text;               // the explanation
};

struct Glossary {
  std::vector<GlossaryTerm> terms;
  std::string error;  // why loading failed ("" when it did not)
  // The entry for a term or one of its other spellings, or nullptr.
  const GlossaryTerm* lookup(const std::string& word) const;
  // The entries whose term or other spelling occurs in `text` as a whole word, in order of
  // first occurrence, each once.
  std::vector<const GlossaryTerm*> terms_in(const std::string& text) const;
};

Glossary load_glossary(const std::string& path);
// Where glossary.json is: ms::find_asset (util/datadirs.hpp) looks in the usual places.
std::string glossary_path();
// The glossary loaded once at start (glossary_path()).
const Glossary& glossary();

// When the last drawn item is hovered and `text` names glossary terms: a tooltip explaining
// them. Returns true when it showed one. (Defined in panels/tips.cpp: it needs ImGui.)
bool glossary_tip(const std::string& text);
// Inside an open tooltip: a separator, then the explanation of each glossary term `text`
// names (nothing when it names none).
void glossary_terms(const std::string& text);
// A tooltip showing `shown`, then the glossary terms `shown` and `more` name: the worlds view,
// the transcript and the sequence diagram explain the protocol words they draw.
void tooltip_with_terms(const std::string& shown, const std::string& more = "");

}  // namespace ms
