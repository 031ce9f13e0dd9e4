// The option table itself: names follow the documented conventions, defaults parse, and the
// man page documents every row (key, environment variable, flag, default, reloadability).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "agent/config/option_rows.hpp"
#include "tests/unit/config/config_fixture.hpp"

namespace constellation::config {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

TEST(OptionTable, EnvironmentNamesAreTheDocumentedOnesOrConstellationPrefixedKeys) {
  const std::map<std::string_view, std::string_view> named = {
      {"node", "TS_HOSTNAME"},
      {"domain", "DOMAIN"},
      {"public_ip", "PUBLIC_IP"},
      {"config", "CONFIG_PATH"},
      {"secrets_path", "SECRETS_PATH"},
      {"data_dir", "DATA_DIR"},
      {"cloudflare_zone_id", "CLOUDFLARE_ZONE_ID"},
      {"api", "API_PORT"},
      {"gossip", "GOSSIP_PORT"},
      {"raft", "RAFT_PORT"},
      {"provider", "PROVIDER_PORT"},
      {"log_level", "LOG_LEVEL"},
      {"log_format", "LOG_FORMAT"},
      {"docker_host", "DOCKER_HOST"}};  // Docker's own variable, as every Docker client reads it
  for (const auto& spec : option_table()) {
    auto it = named.find(spec.key);
    std::string expected =
        it != named.end() ? std::string(it->second) : "CONSTELLATION_" + upper(spec.key);
    EXPECT_EQ(spec.env, expected) << spec.key;
  }
}

TEST(OptionTable, FlagsAreKeysWithUnderscoresAsDashes) {
  for (const auto& spec : option_table()) {
    std::string expected(spec.key);
    for (char& c : expected)
      if (c == '_') c = '-';
    EXPECT_EQ(spec.flag, expected) << spec.key;
  }
}

TEST(OptionTable, KeysFlagsAndEnvironmentNamesAreUnique) {
  std::set<std::string_view> keys, flags, envs;
  for (const auto& spec : option_table()) {
    EXPECT_TRUE(keys.insert(spec.key).second) << spec.key;
    EXPECT_TRUE(flags.insert(spec.flag).second) << spec.flag;
    EXPECT_TRUE(envs.insert(spec.env).second) << spec.env;
    EXPECT_FALSE(spec.help.empty()) << spec.key;
    EXPECT_FALSE(spec.type.empty()) << spec.key;
  }
}

TEST(OptionTable, EveryConfigFieldHasExactlyOneRow) {
  // Changing a field through its row must be visible to exactly that row's comparison.
  for (const auto& row : detail::rows()) {
    Config changed;
    std::string text =
        row.kind == detail::Kind::endpoint   ? "1.2.3.4:1"
        : row.kind == detail::Kind::boolean  ? "true"
        : row.kind == detail::Kind::duration ? (row.spec.default_text == "1m" ? "2m" : "1m")
        : row.kind == detail::Kind::bytes    ? "3MiB"
        : row.kind == detail::Kind::integer
            ? std::to_string(row.max > 0 ? std::clamp<std::int64_t>(33, row.min, row.max)
                                         : std::max<std::int64_t>(row.min, 33))
        : row.kind == detail::Kind::level  ? "trace"
        : row.kind == detail::Kind::format ? "json"
                                           : "/changed";
    ASSERT_TRUE(detail::assign(row, changed, text)) << row.spec.key;
    int differing = 0;
    for (const auto& other : detail::rows())
      if (!detail::same_value(other, Config{}, changed)) ++differing;
    EXPECT_EQ(differing, 1) << row.spec.key;
  }
}

TEST(OptionTable, DocumentedDefaultsAreTheLoadedDefaults) {
  auto loaded = load(testing::inputs()).value();
  for (const auto& row : show(loaded)) {
    const auto* spec = detail::find_by_key(row.key);
    if (spec->default_is_hostname || row.key == "config") continue;
    EXPECT_EQ(row.value, spec->spec.default_text) << row.key;
  }
}

std::string read_man_page() {
  std::ifstream in(CONSTELLATION_CONF_MAN_PAGE);
  std::ostringstream text;
  text << in.rdbuf();
  std::string page = text.str();
  // roff writes a literal hyphen as "\-"; compare the text an operator reads.
  for (std::size_t at; (at = page.find("\\-")) != std::string::npos;) page.replace(at, 2, "-");
  return page;
}

TEST(ManPage, DocumentsEveryOptionWithItsEnvironmentFlagDefaultAndReloadability) {
  std::string page = read_man_page();
  ASSERT_FALSE(page.empty()) << "cannot read " << CONSTELLATION_CONF_MAN_PAGE;
  for (const auto& spec : option_table()) {
    std::string heading = ".TP\n.B " + std::string(spec.key) + "\n";
    std::size_t start = page.find(heading);
    ASSERT_NE(start, std::string::npos) << "option '" << spec.key << "' is not documented";
    std::size_t end = page.find(".TP\n", start + heading.size());
    std::string entry = page.substr(start, end == std::string::npos ? end : end - start);
    EXPECT_NE(entry.find(std::string(spec.env)), std::string::npos) << spec.key;
    EXPECT_NE(entry.find("--" + std::string(spec.flag)), std::string::npos) << spec.key;
    if (!spec.default_text.empty()) {
      EXPECT_NE(entry.find(std::string(spec.default_text)), std::string::npos) << spec.key;
    }
    EXPECT_NE(entry.find(spec.reloadable ? "Reloadable" : "Restart required"), std::string::npos)
        << spec.key;
  }
}

TEST(ManPage, DoesNotDocumentOptionsThatDoNotExist) {
  std::string page = read_man_page();
  std::set<std::string> keys;
  for (const auto& spec : option_table()) keys.emplace(spec.key);
  std::size_t section = page.find(".SH OPTIONS");
  std::size_t section_end = page.find(".SH", section + 1);
  ASSERT_NE(section, std::string::npos);
  for (std::size_t at = section; (at = page.find(".TP\n.B ", at)) < section_end; ++at) {
    std::size_t name = at + 7;
    std::string key = page.substr(name, page.find('\n', name) - name);
    EXPECT_TRUE(keys.count(key)) << "man page documents unknown option '" << key << "'";
  }
}

}  // namespace
}  // namespace constellation::config
