// lib/profiles: $CCX_HOME/config.toml — read, validate, write, purge (see README.md).
export { ConfigError, defaultProfile, profileForConfigDir, readConfig, watchedProfiles, type CcxConfig } from './config';
export { coerceField, FieldError, fieldName, optionName, PROFILE_FIELD_NAMES, type ProfileField } from './fields';
export { purgeProfileRows } from './purge';
export { addProfile, ProfileError, removeProfile, updateProfile, type FieldValues } from './write';
