// Command-line flags of `constellation agent`: "--flag value", "--flag=value", bare boolean
// flags, "--" ending the flags. Only splitting happens here; values are parsed by the same
// assign() as every other layer so errors read alike.
#include "agent/config/option_rows.hpp"
#include "shared/strings.hpp"

namespace constellation::config::detail {

Result<ParsedArgs> parse_args(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      parsed.positional.insert(parsed.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg == "-h" || arg == "--help" || arg == "-" || !starts_with(arg, "-")) {
      parsed.positional.push_back(arg);  // the caller decides what words and --help mean
      continue;
    }
    std::size_t equals = arg.find('=');
    std::string spelling = arg.substr(0, equals);
    const OptionRow* row = starts_with(spelling, "--") ? find_by_flag(spelling.substr(2)) : nullptr;
    if (row == nullptr) {
      std::string suggestion = closest_match(spelling, all_flags());
      return fail(ErrorCode::invalid_argument,
                  "unknown option '" + spelling + "'" +
                      (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
    }
    FlagValue flag{row, "", spelling};
    if (equals != std::string::npos) {
      flag.value = arg.substr(equals + 1);
    } else if (row->kind == Kind::boolean) {
      flag.value = "true";  // --bootstrap takes no value
    } else if (i + 1 < args.size() && !starts_with(args[i + 1], "--")) {
      flag.value = args[++i];
    } else {
      return fail(ErrorCode::invalid_argument,
                  "option '" + spelling + "' needs a value (" + std::string(row->spec.type) +
                      (row->spec.default_text.empty()
                           ? ""
                           : ", e.g. " + spelling + " " + std::string(row->spec.default_text)) +
                      ")");
    }
    parsed.flags.push_back(std::move(flag));
  }
  return parsed;
}

}  // namespace constellation::config::detail
