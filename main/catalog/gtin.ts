// Moved to shared/catalog/gtin.ts (the register's form checks GTINs too).
export * from '../../shared/catalog/gtin.ts';
