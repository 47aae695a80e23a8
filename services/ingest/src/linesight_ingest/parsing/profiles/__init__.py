"""CDR mapping profiles: declarative YAML layouts, detection, and the profile-driven parse."""
