// What the operator and the reload path see of a loaded configuration: `config show` rows
// (secrets masked) and the SIGHUP plan splitting changed options into applied in place or
// needing a restart. Both walk the option table, so a new option is covered automatically.
#include "agent/config/option_rows.hpp"

namespace constellation::config {

std::vector<ShownOption> show(const Loaded& loaded) {
  std::vector<ShownOption> shown;
  for (const auto& row : detail::rows()) {
    auto origin = loaded.origins.find(std::string(row.spec.key));
    shown.push_back({std::string(row.spec.key), detail::shown_value(row, loaded.config),
                     origin_text(origin == loaded.origins.end() ? Origin{} : origin->second),
                     row.spec.reloadable});
  }
  return shown;
}

ReloadPlan plan_reload(const Config& running, const Config& fresh) {
  ReloadPlan plan;
  for (const auto& row : detail::rows()) {
    if (detail::same_value(row, running, fresh)) continue;
    (row.spec.reloadable ? plan.applied : plan.restart_required).emplace_back(row.spec.key);
  }
  return plan;
}

}  // namespace constellation::config
