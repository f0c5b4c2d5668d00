// The demo shop's catalog: a padaria/mercearia/hortifruti of a few hundred products, generated
// deterministically (same ids, GTINs and prices on every machine) so demos and tests agree.
// GTINs use the Brazilian 789 prefix with valid check digits; they are invented, not real items.
// Weighed items (unit KG) have numeric codes that double as the scale PLU.
import { PRODUCT_DEFAULTS, type Product } from '../../shared/sale.ts';
import { withCheckDigit } from '../catalog/gtin.ts';

type Kind = 'normal' | 'st';

interface Family {
  name: string;
  ncm: string;
  kind: Kind;
  cest?: string;
  taxBp: number;
  brands: string[];
  /** [size label, price in centavos] */
  sizes: [string, number][];
}

const F = (name: string, ncm: string, kind: Kind, taxBp: number, brands: string[], sizes: [string, number][], cest?: string): Family => ({
  name,
  ncm,
  kind,
  taxBp,
  brands,
  sizes,
  ...(cest ? { cest } : {}),
});

const FAMILIES: Family[] = [
  F(
    'Arroz Branco Tipo 1',
    '10063021',
    'normal',
    1700,
    ['Tio João', 'Camil', 'Prato Fino'],
    [
      ['1kg', 749],
      ['5kg', 2890],
    ],
  ),
  F('Arroz Integral', '10063021', 'normal', 1700, ['Tio João', 'Camil'], [['1kg', 899]]),
  F('Feijão Carioca Tipo 1', '07133319', 'normal', 1700, ['Camil', 'Kicaldo', 'Broto Legal'], [['1kg', 879]]),
  F('Feijão Preto Tipo 1', '07133390', 'normal', 1700, ['Camil', 'Kicaldo'], [['1kg', 949]]),
  F('Açúcar Refinado', '17019900', 'normal', 3000, ['União', 'Da Barra', 'Caravelas'], [['1kg', 529]]),
  F(
    'Açúcar Cristal',
    '17011400',
    'normal',
    3000,
    ['União', 'Caravelas'],
    [
      ['2kg', 899],
      ['5kg', 2149],
    ],
  ),
  F(
    'Café Torrado e Moído',
    '09012100',
    'normal',
    2600,
    ['Pilão', 'Melitta', '3 Corações', 'Café do Ponto'],
    [
      ['250g', 1299],
      ['500g', 2399],
    ],
  ),
  F('Óleo de Soja', '15079011', 'normal', 2200, ['Soya', 'Liza', 'Cocamar'], [['900ml', 789]]),
  F('Azeite de Oliva Extra Virgem', '15091000', 'normal', 2900, ['Gallo', 'Andorinha', 'Borges'], [['500ml', 3890]]),
  F('Macarrão Espaguete', '19021900', 'normal', 1800, ['Renata', 'Barilla', 'Galo'], [['500g', 549]]),
  F('Macarrão Parafuso', '19021900', 'normal', 1800, ['Renata', 'Galo'], [['500g', 529]]),
  F('Farinha de Trigo', '11010010', 'normal', 1700, ['Dona Benta', 'Anaconda', 'Renata'], [['1kg', 569]]),
  F('Farinha de Mandioca', '11062000', 'normal', 1700, ['Yoki', 'Kodilar'], [['500g', 629]]),
  F('Sal Refinado', '25010020', 'normal', 1700, ['Cisne', 'Lebre'], [['1kg', 299]]),
  F('Molho de Tomate', '21032010', 'normal', 2500, ['Pomarola', 'Quero', 'Fugini'], [['340g', 329]]),
  F('Extrato de Tomate', '20029090', 'normal', 2500, ['Elefante', 'Quero'], [['190g', 449]]),
  F('Leite UHT Integral', '04012010', 'normal', 1200, ['Italac', 'Piracanjuba', 'Tirol', 'Frimesa'], [['1L', 549]]),
  F('Leite UHT Desnatado', '04011010', 'normal', 1200, ['Italac', 'Piracanjuba'], [['1L', 569]]),
  F('Leite Condensado', '04029900', 'normal', 2300, ['Moça', 'Piracanjuba', 'Italac'], [['395g', 699]]),
  F('Creme de Leite', '04015010', 'normal', 2300, ['Nestlé', 'Piracanjuba'], [['200g', 399]]),
  F('Manteiga com Sal', '04051000', 'normal', 2300, ['Aviação', 'Tirol', 'Frimesa'], [['200g', 1390]]),
  F('Margarina com Sal', '15171000', 'normal', 2600, ['Qualy', 'Doriana', 'Delícia'], [['500g', 899]]),
  F('Iogurte Natural', '04032000', 'normal', 2300, ['Batavo', 'Nestlé', 'Frimesa'], [['170g', 349]]),
  F('Bebida Láctea Morango', '04039000', 'normal', 2300, ['Batavo', 'Tirol'], [['900g', 799]]),
  F('Requeijão Cremoso', '04061090', 'normal', 2300, ['Catupiry', 'Tirol', 'Vigor'], [['200g', 899]]),
  F(
    'Ovos Brancos',
    '04072100',
    'normal',
    500,
    ['Granja Mantiqueira', 'Granja Faria'],
    [
      ['dúzia', 1190],
      ['30 un', 2690],
    ],
  ),
  F('Biscoito Cream Cracker', '19053100', 'normal', 2800, ['Vitarella', 'Marilan', 'Adria'], [['350g', 549]]),
  F('Biscoito Maria', '19053100', 'normal', 2800, ['Vitarella', 'Marilan'], [['350g', 499]]),
  F('Biscoito Recheado Chocolate', '19053100', 'normal', 2800, ['Trakinas', 'Passatempo', 'Bono'], [['126g', 299]]),
  F('Wafer Morango', '19053200', 'normal', 2800, ['Bauducco', 'Piraquê'], [['140g', 399]]),
  F('Torrada Tradicional', '19054000', 'normal', 2800, ['Bauducco', 'Marilan'], [['142g', 629]]),
  F('Pão de Forma Tradicional', '19059010', 'normal', 2500, ['Pullman', 'Wickbold', 'Seven Boys'], [['500g', 999]]),
  F('Pão de Forma Integral', '19059010', 'normal', 2500, ['Pullman', 'Wickbold'], [['500g', 1199]]),
  F(
    'Achocolatado em Pó',
    '18069000',
    'normal',
    2900,
    ['Nescau', 'Toddy'],
    [
      ['370g', 899],
      ['750g', 1599],
    ],
  ),
  F('Chocolate ao Leite', '18063210', 'st', 3200, ['Lacta', 'Garoto', 'Nestlé'], [['90g', 749]], '1700100'),
  F('Bombom Sortido', '18069000', 'st', 3200, ['Garoto', 'Lacta'], [['250g', 1390]], '1700700'),
  F(
    'Refrigerante Cola',
    '22021000',
    'st',
    4500,
    ['Coca-Cola', 'Pepsi'],
    [
      ['350ml lata', 499],
      ['2L', 1099],
    ],
    '0300700',
  ),
  F(
    'Refrigerante Guaraná',
    '22021000',
    'st',
    4500,
    ['Antarctica', 'Kuat', 'Cini'],
    [
      ['350ml lata', 449],
      ['2L', 899],
    ],
    '0300700',
  ),
  F('Refrigerante Laranja', '22021000', 'st', 4500, ['Fanta', 'Sukita'], [['2L', 899]], '0300700'),
  F(
    'Água Mineral sem Gás',
    '22011000',
    'st',
    3800,
    ['Crystal', 'Ouro Fino', 'Prata'],
    [
      ['500ml', 249],
      ['1,5L', 399],
    ],
    '0300400',
  ),
  F('Água Mineral com Gás', '22011000', 'st', 3800, ['Crystal', 'Ouro Fino'], [['500ml', 299]], '0300400'),
  F('Suco de Uva Integral', '20096100', 'normal', 3100, ['Aurora', 'Casa de Bento'], [['1,5L', 1890]]),
  F('Suco Pronto Laranja', '20091900', 'st', 3100, ['Del Valle', 'Maguary'], [['1L', 849]], '1701000'),
  F(
    'Cerveja Pilsen',
    '22030000',
    'st',
    5600,
    ['Skol', 'Brahma', 'Itaipava', 'Original'],
    [
      ['350ml lata', 429],
      ['600ml', 1049],
    ],
    '0302100',
  ),
  F('Energético', '22029900', 'st', 4500, ['Red Bull', 'Monster'], [['250ml', 1099]], '0301100'),
  F('Sabão em Pó', '34022000', 'normal', 4000, ['Omo', 'Brilhante', 'Tixan Ypê'], [['800g', 1690]]),
  F('Detergente Líquido', '34022000', 'normal', 4000, ['Ypê', 'Limpol'], [['500ml', 279]]),
  F('Água Sanitária', '28289011', 'normal', 3700, ['Qboa', 'Ypê'], [['2L', 749]]),
  F('Amaciante', '38099190', 'normal', 4000, ['Comfort', 'Downy', 'Ypê'], [['2L', 1690]]),
  F('Papel Higiênico Folha Dupla', '48181000', 'normal', 3300, ['Neve', 'Personal', 'Mili'], [['12 rolos', 2290]]),
  F('Creme Dental', '33061000', 'normal', 3800, ['Colgate', 'Sorriso', 'Close Up'], [['90g', 499]]),
  F('Sabonete em Barra', '34011190', 'normal', 3700, ['Lux', 'Dove', 'Protex'], [['85g', 299]]),
  F('Shampoo', '33051000', 'normal', 4400, ['Seda', 'Pantene', 'Elseve'], [['325ml', 1790]]),
  F('Milho Verde em Conserva', '20058000', 'normal', 2500, ['Quero', 'Predilecta'], [['170g', 399]]),
  F('Sardinha em Óleo', '16041310', 'normal', 2500, ['Gomes da Costa', 'Coqueiro'], [['125g', 749]]),
  F('Atum Ralado em Óleo', '16041410', 'normal', 2500, ['Gomes da Costa', 'Coqueiro'], [['170g', 999]]),
  F('Maionese', '21039021', 'normal', 2800, ["Hellmann's", 'Quero'], [['500g', 1149]]),
  F('Ketchup', '21032010', 'normal', 2800, ['Heinz', 'Quero'], [['397g', 1049]]),
  F('Fermento Biológico Seco', '21021090', 'normal', 2500, ['Fleischmann', 'Dona Benta'], [['10g', 249]]),
  F('Fermento em Pó Químico', '21023000', 'normal', 2500, ['Royal', 'Fleischmann'], [['100g', 549]]),
  F('Mistura para Bolo Chocolate', '19012000', 'normal', 2500, ['Dona Benta', 'Fleischmann'], [['450g', 699]]),
  F('Gelatina Morango', '21069029', 'normal', 2500, ['Royal', 'Dr. Oetker'], [['20g', 229]]),
  F('Fósforo', '36050000', 'normal', 4000, ['Fiat Lux'], [['10 cx', 549]]),
  F('Vela Branca', '34060000', 'normal', 3300, ['Santa Rita'], [['8 un', 899]]),
  F(
    'Aveia em Flocos',
    '11041200',
    'normal',
    1800,
    ['Quaker', 'Yoki', 'Nestlé'],
    [
      ['200g', 599],
      ['500g', 1149],
    ],
  ),
  F('Granola Tradicional', '19042000', 'normal', 2500, ['Jasmine', 'Mãe Terra'], [['250g', 1390]]),
  F('Pipoca para Micro-ondas Manteiga', '20081900', 'normal', 2500, ['Yoki', 'Pop Corn'], [['100g', 349]]),
  F('Batata Palha', '20052000', 'normal', 2600, ['Yoki', 'Elma Chips'], [['120g', 799]]),
  F('Salgadinho de Milho', '19041000', 'normal', 2800, ['Elma Chips', 'Torcida', 'Fandangos'], [['100g', 699]]),
  F('Amendoim Japonês', '20081100', 'normal', 2600, ['Dori', 'Elma Chips'], [['150g', 649]]),
  F('Goiabada Cascão', '20079990', 'normal', 2500, ['Predilecta', 'Cascão Zélia'], [['300g', 749]]),
  F('Doce de Leite Pastoso', '19019020', 'normal', 2500, ['Aviação', 'Itambé', 'Viçosa'], [['400g', 1190]]),
  F('Mel de Abelha', '04090000', 'normal', 1800, ['Baldoni', 'Minamel'], [['280g', 1890]]),
  F('Tempero Completo', '21039011', 'normal', 2500, ['Knorr', 'Sazón', 'Kitano'], [['300g', 599]]),
  F('Caldo de Galinha', '21041011', 'normal', 2500, ['Knorr', 'Maggi'], [['57g', 299]]),
  F('Vinagre de Álcool', '22090000', 'normal', 2500, ['Castelo', 'Minhoto'], [['750ml', 349]]),
  F('Creme de Avelã', '18069000', 'st', 3200, ['Nutella', 'Ovomaltine'], [['350g', 2890]], '1700600'),
  F('Sorvete Napolitano', '21050010', 'st', 3500, ['Kibon', 'Nestlé', 'Frutos do Brasil'], [['1,5L', 2490]], '2300100'),
  F('Picolé de Chocolate', '21050010', 'st', 3500, ['Kibon', 'Nestlé'], [['60g', 599]], '2300100'),
  F('Esponja de Louça', '68053090', 'normal', 3300, ['Scotch-Brite', 'Bettanin', 'Assolan'], [['3 un', 649]]),
  F('Saco de Lixo 50L', '39232190', 'normal', 3300, ['Dover Roll', 'Embalixo'], [['30 un', 1190]]),
  F('Desinfetante Lavanda', '38089419', 'normal', 3700, ['Pinho Sol', 'Veja', 'Ypê'], [['500ml', 649]]),
  F('Papel Toalha', '48182000', 'normal', 3300, ['Snob', 'Kitchen'], [['2 rolos', 699]]),
  F('Guardanapo de Papel', '48183000', 'normal', 3300, ['Snob', 'Kitchen'], [['50 un', 399]]),
  F('Ração para Cães Adultos', '23091000', 'normal', 2500, ['Pedigree', 'Golden'], [['1kg', 2290]]),
  F('Pilha Alcalina AA', '85061019', 'normal', 4000, ['Duracell', 'Rayovac'], [['2 un', 1390]]),
];

/** Items the padaria makes or the hortifruti weighs. The code is the scale PLU. */
const WEIGHED: [string, number, string, number][] = [
  // description, price per kg in centavos, NCM, approx tax bp
  ['Pão Francês', 1899, '19059090', 1200],
  ['Pão de Queijo', 4990, '19059090', 1500],
  ['Pão Doce Caseiro', 2890, '19059090', 1500],
  ['Pão Italiano', 2490, '19059090', 1200],
  ['Bolo de Fubá', 3290, '19059090', 1500],
  ['Bolo de Chocolate', 4490, '19059090', 1500],
  ['Rosca de Coco', 3490, '19059090', 1500],
  ['Sonho de Creme', 4290, '19059090', 1500],
  ['Biscoito de Polvilho', 5990, '19059090', 1500],
  ['Queijo Mussarela Fatiado', 5490, '04061010', 1800],
  ['Queijo Prato Fatiado', 5890, '04069010', 1800],
  ['Queijo Minas Frescal', 4290, '04061090', 1800],
  ['Presunto Cozido Fatiado', 3990, '16024900', 2000],
  ['Mortadela Fatiada', 2490, '16010000', 2000],
  ['Salame Italiano', 8990, '16010000', 2000],
  ['Peito de Peru Defumado', 7490, '16023100', 2000],
  ['Banana Prata', 699, '08039000', 500],
  ['Banana Nanica', 549, '08039000', 500],
  ['Maçã Gala', 1199, '08081000', 500],
  ['Maçã Fuji', 1399, '08081000', 500],
  ['Laranja Pera', 499, '08051000', 500],
  ['Limão Taiti', 799, '08055000', 500],
  ['Mamão Formosa', 699, '08072000', 500],
  ['Melancia', 349, '08071100', 500],
  ['Abacaxi Pérola', 899, '08043000', 500],
  ['Uva Niágara', 1499, '08061000', 500],
  ['Manga Palmer', 899, '08045020', 500],
  ['Tomate Italiano', 899, '07020000', 500],
  ['Batata Inglesa', 599, '07019000', 500],
  ['Cebola', 549, '07031019', 500],
  ['Alho', 3290, '07032090', 500],
  ['Cenoura', 499, '07061000', 500],
  ['Beterraba', 549, '07069000', 500],
  ['Abobrinha Italiana', 699, '07099300', 500],
  ['Pimentão Verde', 899, '07096000', 500],
  ['Chuchu', 449, '07099990', 500],
  ['Mandioca Descascada', 899, '07141000', 500],
  ['Pepino Japonês', 799, '07070000', 500],
];

function productId(n: number): string {
  return `DEMO-${String(n).padStart(4, '0')}`;
}

/** About 300 products; stable order and values. */
export function demoCatalog(): Product[] {
  const out: Product[] = [];
  let n = 0;
  let item = 0;
  FAMILIES.forEach((fam, fi) => {
    fam.brands.forEach((brand, bi) => {
      for (const [size, base] of fam.sizes) {
        n++;
        item++;
        // Brands differ a little in price, deterministically.
        const price = Math.max(99, base + ((bi * 37 + fi * 11) % 7) * 20 - 60);
        const maker = String(1000 + ((fi * 7 + bi * 13) % 9000)).padStart(4, '0');
        const gtin = withCheckDigit(`789${maker}${String(item).padStart(5, '0')}`);
        out.push({
          ...PRODUCT_DEFAULTS,
          id: productId(n),
          code: String(1000 + n),
          gtin,
          description: `${fam.name} ${brand} ${size}`,
          unit: 'UN',
          priceCents: price,
          ncm: fam.ncm,
          cfop: fam.kind === 'st' ? '5405' : '5102',
          cest: fam.cest ?? null,
          origin: '0',
          icms: fam.kind === 'st' ? '500' : '102',
          icmsRateBp: 0,
          approxTaxBp: fam.taxBp,
          weighed: false,
          ibsCbsCst: null,
          cClassTrib: null,
        });
      }
    });
  });
  WEIGHED.forEach(([description, price, ncm, taxBp], i) => {
    n++;
    out.push({
      ...PRODUCT_DEFAULTS,
      id: productId(n),
      code: String(i + 1),
      gtin: null,
      description,
      unit: 'KG',
      priceCents: price,
      ncm,
      cfop: '5102',
      cest: null,
      origin: '0',
      icms: '102',
      icmsRateBp: 0,
      approxTaxBp: taxBp,
      weighed: true,
      ibsCbsCst: null,
      cClassTrib: null,
    });
  });
  // Loose items sold by the unit at the padaria counter (no GTIN: "SEM GTIN").
  const counter: [string, number][] = [
    ['Coxinha de Frango', 750],
    ['Pastel de Carne', 800],
    ['Esfiha de Carne', 650],
    ['Pão na Chapa', 600],
    ['Café Expresso', 550],
    ['Café com Leite', 650],
    ['Pingado', 450],
    ['Misto Quente', 1150],
    ['Suco Natural de Laranja 300ml', 900],
    ['Croissant de Presunto e Queijo', 1090],
  ];
  counter.forEach(([description, price], i) => {
    n++;
    out.push({
      ...PRODUCT_DEFAULTS,
      id: productId(n),
      code: String(500 + i),
      gtin: null,
      description,
      unit: 'UN',
      priceCents: price,
      ncm: description.startsWith('Café') || description === 'Pingado' ? '21011110' : description.startsWith('Suco') ? '20091200' : '19059090',
      cfop: '5102',
      cest: null,
      origin: '0',
      icms: '102',
      icmsRateBp: 0,
      approxTaxBp: 1500,
      weighed: false,
      ibsCbsCst: null,
      cClassTrib: null,
    });
  });
  return out;
}
