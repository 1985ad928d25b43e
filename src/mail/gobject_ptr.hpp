#pragma once
// One move-only owner for GObject references (GMimeMessage, GMimeStream, …) and for g_free'd
// memory (STYLE.md, habit 4). Only src/mail/*.cpp include this: it needs GLib.

#include <utility>

#include <glib-object.h>

namespace respbench {

template <class T>
class GObjectPtr {
 public:
  GObjectPtr() = default;
  explicit GObjectPtr(T* object) : m_object(object) {}  // takes over one reference
  GObjectPtr(GObjectPtr&& other) noexcept : m_object(std::exchange(other.m_object, nullptr)) {}
  GObjectPtr& operator=(GObjectPtr&& other) noexcept {
    if (this != &other) {
      reset();
      m_object = std::exchange(other.m_object, nullptr);
    }
    return *this;
  }
  GObjectPtr(const GObjectPtr&) = delete;
  GObjectPtr& operator=(const GObjectPtr&) = delete;
  ~GObjectPtr() { reset(); }

  T* get() const { return m_object; }
  explicit operator bool() const { return m_object != nullptr; }
  void reset() {
    if (m_object != nullptr) g_object_unref(m_object);
    m_object = nullptr;
  }

 private:
  T* m_object = nullptr;
};

// Owns a g_malloc'd string.
class GString_ {
 public:
  explicit GString_(char* text) : m_text(text) {}
  GString_(const GString_&) = delete;
  GString_& operator=(const GString_&) = delete;
  ~GString_() { g_free(m_text); }
  const char* get() const { return m_text; }

 private:
  char* m_text;
};

}  // namespace respbench
