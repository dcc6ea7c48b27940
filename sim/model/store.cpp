#include "model/store.hpp"

#include <algorithm>

namespace ms {

const char* role_attr(Role r) {
  switch (r) {
    case Role::Sent: return "\\Sent";
    case Role::Trash: return "\\Trash";
    case Role::Drafts: return "\\Drafts";
    case Role::Junk: return "\\Junk";
    case Role::Archive: return "\\Archive";
    case Role::None: break;
  }
  return "";
}

Entry* Folder::find_uid(std::uint32_t uid) {
  auto it = std::lower_bound(entries.begin(), entries.end(), uid,
                             [](const Entry& e, std::uint32_t u) { return e.uid < u; });
  return it != entries.end() && it->uid == uid ? &*it : nullptr;
}
const Entry* Folder::find_uid(std::uint32_t uid) const {
  return const_cast<Folder*>(this)->find_uid(uid);
}
std::size_t Folder::bytes() const {
  std::size_t n = 0;
  for (const auto& e : entries) n += e.size();
  return n;
}

void Folder::record_expunge(std::uint32_t uid, std::uint64_t modseq) {
  if (!vanished.empty()) {
    Tombstone& t = vanished.back();
    if (uid + 1 == t.first || uid == t.last + 1) {
      t.first = std::min(t.first, uid);
      t.last = std::max(t.last, uid);
      t.modseq = modseq;
      return;
    }
  }
  vanished.push_back({uid, uid, modseq});
  if (vanished.size() <= kMaxTombstones) return;
  // Forget the older half at once, so that trimming stays cheap per expunge.
  auto cut = vanished.begin() + static_cast<std::ptrdiff_t>(kMaxTombstones / 2);
  for (auto it = vanished.begin(); it != cut; ++it)
    vanished_floor = std::max(vanished_floor, it->modseq);
  vanished.erase(vanished.begin(), cut);
}

Folder& Store::add_folder(const std::string& name, Role role, std::uint32_t uidvalidity) {
  auto [it, inserted] = folders_.try_emplace(name);
  if (inserted) {
    it->second.name = name;
    it->second.role = role;
    it->second.uidvalidity = uidvalidity;
    uidvalidity_high_ = std::max(uidvalidity_high_, uidvalidity);
    emit({StoreChange::FolderAdd, name, 0, nullptr, {}});
  }
  return it->second;
}

bool Store::remove_folder(const std::string& name) {
  auto it = folders_.find(name);
  if (it == folders_.end()) return false;
  // Report each message leaving before the folder itself, so a replay of the trace never
  // holds messages in a folder that no longer exists.
  for (const auto& e : it->second.entries) emit({StoreChange::Remove, name, e.uid, e.body, {}});
  folders_.erase(it);
  emit({StoreChange::FolderRemove, name, 0, nullptr, {}});
  return true;
}

Folder* Store::folder(const std::string& name) {
  auto it = folders_.find(name);
  return it == folders_.end() ? nullptr : &it->second;
}
const Folder* Store::folder(const std::string& name) const {
  auto it = folders_.find(name);
  return it == folders_.end() ? nullptr : &it->second;
}
Folder* Store::folder_by_role(Role r) {
  for (auto& [n, f] : folders_)
    if (f.role == r) return &f;
  return nullptr;
}

std::uint32_t Store::append(const std::string& name, Body body, Flags flags, Tick date) {
  Folder* f = folder(name);
  if (!f) f = &add_folder(name, Role::None, 1);
  Entry e;
  e.uid = f->uidnext++;
  e.body = std::move(body);
  e.flags = std::move(flags);
  e.internal_date = date;
  e.modseq = ++f->highestmodseq;
  f->entries.push_back(e);
  emit({StoreChange::Add, name, e.uid, e.body, e.flags});
  return e.uid;
}

bool Store::put(const std::string& name, std::uint32_t uid, Body body, Flags flags, Tick date) {
  Folder* f = folder(name);
  if (!f || uid == 0 || f->find_uid(uid)) return false;
  Entry e;
  e.uid = uid;
  e.body = std::move(body);
  e.flags = std::move(flags);
  e.internal_date = date;
  e.modseq = ++f->highestmodseq;
  auto it = std::lower_bound(f->entries.begin(), f->entries.end(), uid,
                             [](const Entry& x, std::uint32_t u) { return x.uid < u; });
  f->entries.insert(it, e);
  if (uid >= f->uidnext) f->uidnext = uid + 1;
  emit({StoreChange::Add, name, e.uid, e.body, e.flags});
  return true;
}

bool Store::remove(const std::string& name, std::uint32_t uid) {
  Folder* f = folder(name);
  if (!f) return false;
  auto it = std::lower_bound(f->entries.begin(), f->entries.end(), uid,
                             [](const Entry& e, std::uint32_t u) { return e.uid < u; });
  if (it == f->entries.end() || it->uid != uid) return false;
  Body b = it->body;
  f->entries.erase(it);
  f->record_expunge(uid, ++f->highestmodseq);
  emit({StoreChange::Remove, name, uid, b, {}});
  return true;
}

bool Store::set_flags(const std::string& name, std::uint32_t uid, const Flags& flags) {
  Folder* f = folder(name);
  Entry* e = f ? f->find_uid(uid) : nullptr;
  if (!e) return false;
  if (e->flags == flags) return true;
  e->flags = flags;
  e->modseq = ++f->highestmodseq;
  emit({StoreChange::SetFlags, name, uid, e->body, flags});
  return true;
}

void Store::wipe() {
  folders_.clear();
  emit({StoreChange::Wipe, "", 0, nullptr, {}});
}

std::size_t Store::bytes() const {
  std::size_t n = 0;
  for (const auto& [name, f] : folders_) n += f.bytes();
  return n;
}
std::size_t Store::count() const {
  std::size_t n = 0;
  for (const auto& [name, f] : folders_) n += f.entries.size();
  return n;
}

}  // namespace ms
