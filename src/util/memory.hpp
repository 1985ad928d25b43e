#pragma once
// Memory hints for the few very large arrays (a million inquiries): each first touch of a 4 KiB
// page costs a page fault, and in a virtual machine a fault costs microseconds, so filling
// 200 MB costs more in faults than in work. Transparent huge pages (2 MiB) cut the faults by
// 512; Debian's kernels grant them to regions that ask (THP mode "madvise").

#include <cstddef>
#include <vector>

namespace respbench {

// Asks the kernel to back the 2 MiB-aligned part of [data, data + bytes) with huge pages. A
// hint: does nothing where unsupported or for small regions.
void advise_huge_pages(void* data, std::size_t bytes);

// reserve(n), then the hint for the whole capacity; call before filling `v`.
template <class T>
void reserve_huge(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace respbench
