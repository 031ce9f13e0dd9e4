// See local_config.hpp.
#include "console/commands/local_config.hpp"

namespace constellation::console::commands {

Result<config::Loaded> load_local_config(const Context& context,
                                         const std::vector<std::string>& args) {
  config::LoadInputs inputs = config::inputs_from_process(args);
  if (context.getenv) inputs.getenv = context.getenv;
  auto loaded = config::load(inputs);
  if (!loaded) return loaded;
  if (!loaded->positional.empty())
    return fail(ErrorCode::invalid_argument,
                "unexpected argument '" + loaded->positional.front() +
                    "' (agent options are written --name VALUE; see `constellation help agent`)");
  return loaded;
}

}  // namespace constellation::console::commands
