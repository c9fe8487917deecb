export * from "./accounts";
export * from "./catalogue";
export * from "./messaging";
export * from "./vocabulary";
export * from "./onboarding";
export * from "./booking";
export * from "./trust";
export * from "./calendars";
