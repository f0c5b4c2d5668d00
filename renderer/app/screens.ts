// The screens loaded on demand (see lazy-screen.ts): everything but login, checkout and the dialogs a
// sale uses. Payment (with PIX and its QR encoder) is fetched right after the checkout is ready,
// before the others. The order of SCREENS_TO_WARM is the order they are fetched once the till is ready:
// the cashier's own screens first.
import { lazyScreen } from './lazy-screen.ts';

export const PaymentScreen = lazyScreen(() => import('../features/payment/PaymentScreen.tsx').then((m) => m.PaymentScreen));
export const HistoryScreen = lazyScreen(() => import('../features/history/HistoryScreen.tsx').then((m) => m.HistoryScreen));
export const RegisterScreen = lazyScreen(() => import('../features/register/RegisterScreen.tsx').then((m) => m.RegisterScreen));
export const PixAttentionScreen = lazyScreen(() => import('../features/pix/PixAttentionScreen.tsx').then((m) => m.PixAttentionScreen));
export const SettingsScreen = lazyScreen(() => import('../features/settings/SettingsScreen.tsx').then((m) => m.SettingsScreen));
export const ContingencyPanel = lazyScreen(() => import('../features/contingency/ContingencyPanel.tsx').then((m) => m.ContingencyPanel));
export const CatalogScreen = lazyScreen(() => import('../features/catalog/CatalogScreen.tsx').then((m) => m.CatalogScreen));
export const ReportsScreen = lazyScreen(() => import('../features/reports/ReportsScreen.tsx').then((m) => m.ReportsScreen));
export const OperatorsScreen = lazyScreen(() => import('../features/operators/OperatorsScreen.tsx').then((m) => m.OperatorsScreen));
export const AuditScreen = lazyScreen(() => import('../features/operators/AuditScreen.tsx').then((m) => m.AuditScreen));
export const StoreScreen = lazyScreen(() => import('../features/store/StoreScreen.tsx').then((m) => m.StoreScreen));
// First run and recovery: a ready till never needs them, so they are not warmed.
export const SetupScreen = lazyScreen(() => import('../features/setup/SetupScreen.tsx').then((m) => m.SetupScreen));
export const RecoveryScreen = lazyScreen(() => import('../features/setup/RecoveryScreens.tsx').then((m) => m.RecoveryScreen));
export const SecretsScreen = lazyScreen(() => import('../features/setup/RecoveryScreens.tsx').then((m) => m.SecretsScreen));
export const JournalRecoveryScreen = lazyScreen(() => import('../features/setup/JournalRecoveryScreen.tsx').then((m) => m.JournalRecoveryScreen));

// The customer's screen is its own window (index.html#cliente): it never needs the till's screens.
export const CustomerDisplay = lazyScreen(() => import('../features/customer-display/CustomerDisplay.tsx').then((m) => m.CustomerDisplay));

export const SCREENS_TO_WARM = [
  PaymentScreen,
  HistoryScreen,
  RegisterScreen,
  PixAttentionScreen,
  SettingsScreen,
  ContingencyPanel,
  CatalogScreen,
  ReportsScreen,
  OperatorsScreen,
  AuditScreen,
  StoreScreen,
] as const;
