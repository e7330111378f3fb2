export { responsesDialect } from './responses.dialect.js';
export { nativeOnlyField as responsesNativeOnlyField } from './responses-native-only.js';
