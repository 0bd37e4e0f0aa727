// lib/profiles: $CCX_HOME/config.toml — read, validate, write, purge (see README.md).
export {
  activeProfile,
  type CcxConfig,
  ConfigError,
  defaultProfile,
  type HookEventsOf,
  hasOtherAgents,
  profileForConfigDir,
  readConfig,
  uncoveredDefault,
  watchedProfiles,
} from './config';
export { coerceField, FieldError, fieldName, optionName, PROFILE_FIELD_NAMES, type ProfileField } from './fields';
export { detectPlanTier, planFromAccount } from './plan-detect';
export { purgeProfileRows } from './purge';
export { addProfile, type FieldValues, type ProfileEdit, ProfileError, registerProfile, removeProfile, updateProfile } from './write';
