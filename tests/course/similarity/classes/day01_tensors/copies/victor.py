# victor: copied farah's notebook, then rewrote the comments and the spacing
# %% ex1_answer
temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])

# start from zeros and fill in the 2s
adjustment = torch.zeros(2,3, dtype=torch.int64)

for i in range(2):
    for j in range(3):   # every column
        adjustment[i,j] = 2

adjusted = temperatures+adjustment
# %% ex2_answer
def numpy_to_tensor(array):
    """Return a tensor that shares memory with the NumPy array `array`."""
    result = torch.from_numpy( array )   # shares memory

    return result
# %% ex3_answer
def describe(t):
    """Return (number of dimensions, shape, dtype, device) of the tensor `t`."""
    dims = t.ndim  # number of dimensions
    return (dims,
            t.shape,
            t.dtype,
            t.device)
# %% ex4_answer
p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])

elementwise = p*q
matrix_product = p@q

# check the results
print("elementwise:", elementwise)
print("matrix product:", matrix_product)
# %% ex5_answer
def customer_totals(quantities, prices):
    """Return the total bill of each customer: shape (customers, 1)."""
    totals = quantities@prices   # matrix product
    print( totals.shape )
    return totals
# %% ex6_answer
def average(t):
    """Return the mean of all elements of `t` as a 0-D float32 tensor."""
    # sum, then divide by the number of elements
    total = t.sum().float()

    count = t.numel()
    return total/count
# %% ex7_answer
morning = torch.tensor([[12, 14, 11],
                        [10, 13, 12]])   # 2 days x 3 places
evening = torch.tensor([[18, 16],
                        [19, 17],
                        [15, 14]])       # 3 places x 2 days
try:
    evening - morning
except RuntimeError as err:
    print("RuntimeError:", err)


def temperature_change(morning, evening):
    """Return evening minus morning, shape (days, places); `evening` is stored as (places, days)."""
    result = evening.T-morning   # transpose first
    return result
# %% ex8_answer
def neuron(inputs, weights, bias):
    """Return the weighted sum of `inputs` plus `bias`, as a 0-D tensor."""
    result = 0
    # add up input times weight
    for i in range( len(inputs) ):
        result = result + inputs[i]*weights[i]
    return result+bias


def count_weights(sizes):
    """Return the number of weights of a network with layer sizes `sizes` (inputs first, outputs last)."""
    weights_count = 0
    i = 0
    # go through neighbouring layers
    while i < len(sizes)-1:
        weights_count += sizes[i]*sizes[i+1]

        i += 1
    return weights_count
