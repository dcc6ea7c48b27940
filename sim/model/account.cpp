#include "model/account.hpp"

namespace ms {

Account& MailServer::add_account(const std::string& name, const std::string& password,
                                 std::uint32_t uidvalidity) {
  auto& slot = accounts_[name];
  if (!slot) {
    slot = std::make_unique<Account>(name);
    slot->password = password;
    if (on_new_account) on_new_account(*slot);
    // Each folder gets its own UIDVALIDITY, derived from the account's, as servers do.
    slot->store.add_folder("INBOX", Role::None, uidvalidity);
    slot->store.add_folder("Drafts", Role::Drafts, uidvalidity + 1);
    slot->store.add_folder("Sent", Role::Sent, uidvalidity + 2);
    slot->store.add_folder("Junk", Role::Junk, uidvalidity + 3);
    slot->store.add_folder("Trash", Role::Trash, uidvalidity + 4);
  }
  return *slot;
}

Account* MailServer::find(const std::string& name) {
  auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : it->second.get();
}

}  // namespace ms
