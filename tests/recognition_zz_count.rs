#[test]
fn count() {
    let r = skillpass::frameworks::FrameworkRegistry::bundled();
    let ids: Vec<&str> = r.ids().collect();
    let mut c = std::collections::BTreeMap::new();
    for f in &ids { for t in &ids { for l in &r.framework(f).unwrap().levels {
        let m = skillpass::recognition::map_level(r, f, &l.code, t).unwrap();
        *c.entry(format!("{:?}/{:?}", m.outcome, m.status)).or_insert(0) += 1;
    }}}
    println!("{c:#?}");
}
