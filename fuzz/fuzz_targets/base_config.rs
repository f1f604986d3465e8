//! Base config parsing and merging: any bytes give a config or an error,
//! never a panic; a parsed config always renders to JSON that parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registry_config::{BaseConfig, Credential, Format, RegistryConfig, Secret};

fuzz_target!(|data: &[u8]| {
    let Ok(base) = BaseConfig::parse(data) else { return };
    let mut config = RegistryConfig::new();
    config.set_base(base);
    config.insert("ghcr.io", Credential::basic("u", Secret::new("p".into()))).expect("valid entry");
    let _ = config.remove("quay.io");
    for format in [Format::Docker, Format::Containers] {
        let rendered = config.render(format).expect("host-wide entries render");
        let reparsed = BaseConfig::parse(rendered.as_bytes()).expect("rendered output is a Docker config");
        assert!(reparsed.auth_keys().any(|key| key == "ghcr.io"));
        assert!(!reparsed.had_creds_store());
    }
});
