// What the operator registers for a Facebook inquiry, turned into a Graph object id.
#include <doctest/doctest.h>

#include "channels/facebook_ref.hpp"

using namespace respbench;

TEST_SUITE("facebook ref") {
  TEST_CASE("Graph ids are taken as they are") {
    auto post = parse_facebook_ref(" 19292868552_10158349356748553 ");
    REQUIRE(post);
    CHECK(post->object_id == "19292868552_10158349356748553");
    CHECK(post->kind == FacebookObjectKind::unknown);
    CHECK_FALSE(needs_page_id(*post));
    auto comment = parse_facebook_ref("10158371815748553_10158371930463553");
    REQUIRE(comment);
    CHECK(comment->object_id == "10158371815748553_10158371930463553");
    auto bare = parse_facebook_ref("10158371930463553");
    REQUIRE(bare);
    CHECK(bare->object_id == "10158371930463553");
  }

  TEST_CASE("post permalinks") {
    auto numeric = parse_facebook_ref("https://www.facebook.com/19292868552/posts/10158349356748553/");
    REQUIRE(numeric);
    CHECK(numeric->kind == FacebookObjectKind::post);
    CHECK(numeric->object_id == "19292868552_10158349356748553");
    CHECK(page_id_of_post(*numeric) == "19292868552");

    auto named = parse_facebook_ref("https://m.facebook.com/NordlichtBank/posts/10158349356748553?__tn__=R");
    REQUIRE(named);
    CHECK(named->kind == FacebookObjectKind::post);
    CHECK(needs_page_id(*named));
    CHECK(named->page == "NordlichtBank");
    CHECK(graph_object_id(*named, "") == std::nullopt);
    CHECK(graph_object_id(*named, "NordlichtBank") == std::nullopt);
    CHECK(graph_object_id(*named, "19292868552") == "19292868552_10158349356748553");
    CHECK(page_id_of_post(*named) == std::nullopt);

    auto story = parse_facebook_ref("https://www.facebook.com/permalink.php?story_fbid=10158349356748553&id=19292868552");
    REQUIRE(story);
    CHECK(story->object_id == "19292868552_10158349356748553");
    CHECK(story->page == "19292868552");
  }

  TEST_CASE("comment permalinks name the comment (or the reply) under the post's number") {
    auto comment = parse_facebook_ref(
        "https://www.facebook.com/NordlichtBank/posts/10158371815748553?comment_id=10158371930463553");
    REQUIRE(comment);
    CHECK(comment->kind == FacebookObjectKind::comment);
    CHECK(comment->object_id == "10158371815748553_10158371930463553");
    CHECK_FALSE(needs_page_id(*comment));
    CHECK(page_id_of_post(*comment) == std::nullopt);

    auto reply = parse_facebook_ref(
        "https://www.facebook.com/NordlichtBank/posts/10158371815748553?comment_id=111&reply_comment_id=222#x");
    REQUIRE(reply);
    CHECK(reply->object_id == "10158371815748553_222");

    auto story = parse_facebook_ref(
        "facebook.com/permalink.php?story_fbid=10158371815748553&id=19292868552&comment_id=10158371930463553");
    REQUIRE(story);
    CHECK(story->object_id == "10158371815748553_10158371930463553");
    CHECK(story->page == "19292868552");
  }

  TEST_CASE("photos, opaque comment ids and Messenger threads") {
    auto photo = parse_facebook_ref("https://m.facebook.com/photo.php?fbid=987654&set=a.1");
    REQUIRE(photo);
    CHECK(photo->kind == FacebookObjectKind::photo);
    CHECK(photo->object_id == "987654");
    CHECK(photo->normal == "https://www.facebook.com/photo/?fbid=987654");
    CHECK(page_id_of_post(*photo) == std::nullopt);
    auto under_photo = parse_facebook_ref("https://www.facebook.com/photo/?fbid=987654&comment_id=12&reply_comment_id=34");
    REQUIRE(under_photo);
    CHECK(under_photo->kind == FacebookObjectKind::comment);
    CHECK(under_photo->object_id == "987654_34");

    // base64 of "comment:10158371815748553_10158371930463553", percent-encoded as in the link.
    auto opaque = parse_facebook_ref(
        "https://www.facebook.com/NordlichtBank/posts/10158371815748553?comment_id="
        "Y29tbWVudDoxMDE1ODM3MTgxNTc0ODU1M18xMDE1ODM3MTkzMDQ2MzU1Mw%3D%3D");
    REQUIRE(opaque);
    CHECK(opaque->object_id == "10158371815748553_10158371930463553");

    auto thread = parse_facebook_ref("messages/t/weissbachkabel_4kq9z2");
    REQUIRE(thread);
    CHECK(thread->kind == FacebookObjectKind::messenger_thread);
    CHECK(thread->thread == "weissbachkabel_4kq9z2");
    CHECK_FALSE(needs_page_id(*thread));
    CHECK(graph_object_id(*thread, "19292868552") == std::nullopt);
    CHECK(messenger_thread_of(thread->normal) == "weissbachkabel_4kq9z2");
  }

  TEST_CASE("anything else is refused with the forms expected") {
    for (const char* bad : {"", "hello", "https://example.test/NordlichtBank/posts/1",
                            "https://www.facebook.com/NordlichtBank", "https://www.facebook.com/NordlichtBank/posts/abc",
                            "https://www.facebook.com/NordlichtBank/posts/1?comment_id=x",
                            "https://www.facebook.com/permalink.php?story_fbid=1", "12_34_56", "_12"}) {
      CAPTURE(bad);
      auto r = parse_facebook_ref(bad);
      REQUIRE_FALSE(r);
      CHECK(r.error().message.find("expected a Graph object id") != std::string::npos);
    }
    auto pfbid = parse_facebook_ref("https://www.facebook.com/NordlichtBank/posts/pfbid02Xyz");
    REQUIRE_FALSE(pfbid);
    CHECK(pfbid.error().message.find("pfbid") != std::string::npos);
  }
}
