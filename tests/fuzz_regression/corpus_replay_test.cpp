// Replays a committed fuzz corpus (CORPUS_DIR: corpus/http, corpus/gossip) through the fuzz
// entry point it is linked with. The entry aborts on a crash or an insane answer, so a
// regression fails this test loudly. One executable per fuzz target.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

TEST(FuzzCorpus, EveryCorpusInputIsHandledWithoutCrashing) {
  std::size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CORPUS_DIR)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
        0);
    ++replayed;
  }
  EXPECT_GE(replayed, 10u) << "the corpus in " << CORPUS_DIR << " went missing";
}

}  // namespace
