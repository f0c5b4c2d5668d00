// Renders the dialog the ui store says is open (one at a time).
import { useUi } from '../state/ui.ts';
import { ManagerPinDialog } from '../components/ManagerPinDialog.tsx';
import { CancelItemDialog } from '../features/checkout/CancelItemDialog.tsx';
import { CancelSaleDialog } from '../features/checkout/CancelSaleDialog.tsx';
import { CustomerDialog } from '../features/checkout/CustomerDialog.tsx';
import { DiscountDialog } from '../features/checkout/DiscountDialog.tsx';
import { WeightDialog } from '../features/checkout/WeightDialog.tsx';
import { ChangePinDialog } from '../features/operators/ChangePinDialog.tsx';
import { QuantityDialog } from '../features/checkout/QuantityDialog.tsx';
import { ParkedDialog } from '../features/checkout/ParkedDialog.tsx';
import { LooseItemDialog } from '../features/checkout/LooseItemDialog.tsx';

export function DialogHost() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'cancelItem':
      return <CancelItemDialog {...(dialog.seq !== undefined ? { seq: dialog.seq } : {})} />;
    case 'cancelSale':
      return <CancelSaleDialog />;
    case 'customer':
      return <CustomerDialog />;
    case 'quantity':
      return <QuantityDialog {...(dialog.seq !== undefined ? { seq: dialog.seq } : {})} />;
    case 'parked':
      return <ParkedDialog />;
    case 'looseItem':
      return <LooseItemDialog />;
    case 'itemDiscount':
      return <DiscountDialog scope="item" />;
    case 'saleDiscount':
      return <DiscountDialog scope="sale" />;
    case 'weight':
      return <WeightDialog product={dialog.product} onWeight={dialog.onWeight} />;
    case 'changePin':
      return <ChangePinDialog />;
    case 'managerPin':
      return (
        <ManagerPinDialog
          reason={dialog.reason}
          onApproved={(pin) => {
            useUi.getState().close();
            dialog.onApproved(pin);
          }}
          onClose={() => useUi.getState().close()}
        />
      );
  }
}
