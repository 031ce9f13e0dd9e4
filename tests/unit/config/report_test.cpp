// `config show` rows and the SIGHUP reload plan.
#include <algorithm>
#include <stdexcept>

#include <gtest/gtest.h>

#include "agent/config/option_rows.hpp"
#include "tests/unit/config/config_fixture.hpp"

namespace constellation::config {
namespace {

using testing::inputs;

const ShownOption& row_of(const std::vector<ShownOption>& rows, std::string_view key) {
  auto it = std::ranges::find(rows, key, &ShownOption::key);
  if (it == rows.end()) throw std::runtime_error("no row " + std::string(key));
  return *it;
}

TEST(PlanReload, ReloadableChangesAreAppliedOthersNeedARestart) {
  Config running;
  Config fresh = running;
  fresh.log_level = "debug";
  fresh.log_format = "json";
  fresh.journal_max_age = std::chrono::hours(1);
  fresh.journal_max_bytes = 1 << 20;
  fresh.api.port = 9999;
  fresh.data_dir = "/elsewhere";
  fresh.join = {"a"};
  auto plan = plan_reload(running, fresh);
  EXPECT_EQ(plan.applied, (std::vector<std::string>{"log_level", "log_format", "journal_max_age",
                                                    "journal_max_bytes"}));
  EXPECT_EQ(plan.restart_required, (std::vector<std::string>{"data_dir", "api", "join"}));
}

TEST(PlanReload, IdenticalConfigsPlanNothing) {
  auto a = load(inputs({"--domain", "x"})).value().config;
  auto b = load(inputs({"--domain", "x"})).value().config;
  auto plan = plan_reload(a, b);
  EXPECT_TRUE(plan.applied.empty());
  EXPECT_TRUE(plan.restart_required.empty());
}

TEST(PlanReload, ComparesValuesNotTheirSpelling) {
  // "1024KiB" and "1MiB" are the same size; 1500ms and 1s render alike but differ.
  auto a = load(inputs({"--journal-max-bytes", "1024KiB", "--cron-interval", "1500ms"})).value();
  auto b = load(inputs({"--journal-max-bytes", "1MiB", "--cron-interval", "1s"})).value();
  auto plan = plan_reload(a.config, b.config);
  EXPECT_TRUE(plan.applied.empty());
  EXPECT_EQ(plan.restart_required, (std::vector<std::string>{"cron_interval"}));
}

TEST(PlanReload, OnlyTheFourDocumentedOptionsAreReloadable) {
  std::vector<std::string> reloadable;
  for (const auto& spec : option_table())
    if (spec.reloadable) reloadable.emplace_back(spec.key);
  EXPECT_EQ(reloadable, (std::vector<std::string>{"log_level", "log_format", "journal_max_age",
                                                  "journal_max_bytes"}));
}

TEST(Show, HasOneRowPerOptionWithValueOriginAndReloadability) {
  auto loaded =
      load(inputs({"--api", ":9000", "--cron-interval", "1500ms"}, {{"DOMAIN", "example.com"}}))
          .value();
  auto rows = show(loaded);
  ASSERT_EQ(rows.size(), option_table().size());
  EXPECT_EQ(row_of(rows, "api").value, "127.0.0.1:9000");
  EXPECT_EQ(row_of(rows, "api").source, "flag:--api");
  EXPECT_EQ(row_of(rows, "domain").source, "env:DOMAIN");
  EXPECT_EQ(row_of(rows, "journal_max_bytes").value, "64MiB");
  EXPECT_EQ(row_of(rows, "journal_max_age").value, "30d");
  EXPECT_EQ(row_of(rows, "cron_interval").value, "1500ms");
  EXPECT_EQ(row_of(rows, "data_dir").source, "default");
  EXPECT_TRUE(row_of(rows, "log_level").reloadable);
  EXPECT_FALSE(row_of(rows, "api").reloadable);
}

TEST(Show, RenderedValuesLoadBackToTheSameConfig) {
  auto first = load(inputs({"--join", "a:1", "--join", "b", "--bootstrap", "--api", "[::1]:8081",
                            "--journal-max-age", "90m"}))
                   .value();
  std::vector<std::string> args;
  for (const auto& row : show(first)) {
    if (row.key == "config" || row.value.empty()) continue;
    const auto* spec = detail::find_by_key(row.key);
    args.push_back("--" + std::string(spec->spec.flag) + "=" + row.value);
  }
  auto second = load(inputs(args)).value();
  auto plan = plan_reload(first.config, second.config);
  EXPECT_TRUE(plan.applied.empty());
  EXPECT_TRUE(plan.restart_required.empty());
}

TEST(Show, SecretOptionsNeverShowTheirValue) {
  detail::OptionRow secret{};
  secret.spec.key = "domain";
  secret.spec.secret = true;
  secret.kind = detail::Kind::string;
  secret.field = &Config::domain;
  Config config;
  config.domain = "hunter2";
  EXPECT_EQ(detail::shown_value(secret, config), "(set)");
  config.domain.clear();
  EXPECT_EQ(detail::shown_value(secret, config), "(secret)");
  secret.spec.secret = false;
  config.domain = "visible";
  EXPECT_EQ(detail::shown_value(secret, config), "visible");
}

}  // namespace
}  // namespace constellation::config
