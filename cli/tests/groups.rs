//! `socmel group …`

mod common;

use common::{Env, id};

#[test]
fn group_lifecycle() {
    let env = Env::start();
    let ada = env.user("ada");
    let bob = env.user("bob");
    let cy = env.user("cyd");
    let (bob_id, cy_id) = (id(&bob), id(&cy));

    let group = env.json("ada", &["group", "create", "friends", "--member", &bob_id]);
    assert_eq!(group["name"], "friends");
    assert_eq!(group["owner_id"], ada["id"]);
    assert_eq!(group["members"].as_array().unwrap().len(), 2);
    let g = id(&group);

    assert_eq!(env.json("bob", &["group", "show", &g])["id"], group["id"]);
    let mine = env.json("bob", &["group", "mine"]);
    assert_eq!(mine["items"][0]["members_nbr"], 2);
    let renamed = env.json("ada", &["group", "rename", &g, "pals"]);
    assert_eq!(renamed["name"], "pals");

    let members = env.json("ada", &["group", "add", &g, &cy_id]);
    assert_eq!(members.as_array().unwrap().len(), 3);
    let page = env.json("cyd", &["group", "members", &g]);
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let members = env.json("ada", &["group", "remove", &g, &cy_id]);
    assert_eq!(members.as_array().unwrap().len(), 2);

    let refused = env.fails("cyd", &["group", "show", &g]);
    assert_eq!(refused.code, 1);

    let owner = env.json("ada", &["group", "transfer", &g, &bob_id]);
    assert_eq!(owner["id"], bob["id"]);
    let remaining = env.json("ada", &["group", "leave", &g]);
    assert_eq!(remaining.as_array().unwrap().len(), 1);
    assert_eq!(remaining[0]["id"], bob["id"]);

    let deleted = env.json("bob", &["group", "delete", &g]);
    assert!(deleted["detail"].is_string());
    let gone = env.fails("bob", &["group", "show", &g]);
    assert_eq!(gone.error["code"], "not_found");
}
